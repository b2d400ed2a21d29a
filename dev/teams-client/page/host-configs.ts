/** Teams' look for cards, per theme: its fonts, spacing and palette (light, dark, high contrast). */
export type Theme = 'light' | 'dark' | 'contrast';

interface Palette {
  background: string;
  emphasis: string;
  text: string;
  subtle: string;
  accent: string;
  good: string;
  warning: string;
  attention: string;
}

const PALETTES: Record<Theme, Palette> = {
  light: { background: '#ffffff', emphasis: '#f5f5f5', text: '#242424', subtle: '#616161', accent: '#5b5fc7', good: '#0b6a0b', warning: '#835b00', attention: '#c4314b' },
  dark: { background: '#292929', emphasis: '#1f1f1f', text: '#ffffff', subtle: '#adadad', accent: '#7f85f5', good: '#92c353', warning: '#f8d22a', attention: '#f9526b' },
  contrast: { background: '#000000', emphasis: '#000000', text: '#ffffff', subtle: '#ffffff', accent: '#ffff01', good: '#3ff23f', warning: '#ffff01', attention: '#ff0000' },
};

function colors(p: Palette, foreground: string) {
  const pair = (value: string) => ({ default: value, subtle: value });
  return {
    default: { default: foreground, subtle: p.subtle },
    dark: pair(p.text),
    light: pair(p.subtle),
    accent: pair(p.accent),
    good: pair(p.good),
    warning: pair(p.warning),
    attention: pair(p.attention),
  };
}

export function hostConfig(theme: Theme): Record<string, unknown> {
  const p = PALETTES[theme];
  const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: colors(p, p.text) });
  return {
    fontFamily: '"Segoe UI", system-ui, -apple-system, sans-serif',
    supportsInteractivity: true,
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: theme === 'light' ? '#e0e0e0' : '#3d3d3d' },
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: style(p.background),
      emphasis: style(p.emphasis),
      accent: style(p.emphasis),
      good: style(p.emphasis),
      attention: style(p.emphasis),
      warning: style(p.emphasis),
    },
    actions: {
      maxActions: 6,
      spacing: 'default',
      buttonSpacing: 8,
      showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
      actionsOrientation: 'horizontal',
      actionAlignment: 'left',
    },
    adaptiveCard: { allowCustomStyle: true },
    factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 8 },
    textBlock: { headingLevel: 2 },
  };
}
