import type { AdfMark } from './adf-node';

/** The formatting in force at a point of the HTML tree, as its ancestors set it. */
export interface MarkState {
  strong?: boolean;
  em?: boolean;
  strike?: boolean;
  underline?: boolean;
  code?: boolean;
  subsup?: 'sub' | 'sup';
  link?: string;
}

/**
 * The ADF marks for a state, in a fixed order so equal states compare equal. The schema lets
 * the code mark combine only with a link, so inline code drops any other formatting around it.
 */
export function adfMarks(state: MarkState): AdfMark[] {
  const marks: AdfMark[] = [];
  if (state.code) {
    marks.push({ type: 'code' });
  } else {
    if (state.strong) marks.push({ type: 'strong' });
    if (state.em) marks.push({ type: 'em' });
    if (state.underline) marks.push({ type: 'underline' });
    if (state.strike) marks.push({ type: 'strike' });
    if (state.subsup) marks.push({ type: 'subsup', attrs: { type: state.subsup } });
  }
  if (state.link) marks.push({ type: 'link', attrs: { href: state.link } });
  return marks;
}
