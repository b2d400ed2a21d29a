import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { messageToAdf } from '../../../src/jira/adf/message-to-adf';
import { textToAdf } from '../../../src/jira/adf/text-to-adf';
import { htmlToAdf } from '../../../src/jira/adf/html-to-adf';
import { adfToPlainText } from '../../../src/jira/adf/adf-to-plain-text';
import { SHARED_REF } from '../../support/validate-card';
import { adfText, assertValidAdf } from './assert-valid-adf';

const fetchTask = JSON.parse(fs.readFileSync(path.join(SHARED_REF, 'teams/activities/composeExtension.fetchTask.messagePayload.channel-reply.json'), 'utf8'));

describe('messageToAdf', () => {
  it('converts the documented message and links back to it with author and conversation', () => {
    const payload = fetchTask.value.messagePayload;
    const doc = messageToAdf({
      content: payload.body.content,
      contentType: payload.body.contentType,
      authorName: payload.from.user.displayName,
      conversationName: fetchTask.conversation.name,
      link: payload.linkToMessage,
    });
    assertValidAdf(doc);
    assert.equal(adfText(doc), 'Testing outgoing Webhook-Nikitha - Hi\nFrom Teams: message by Olo Brockhouse in parsable');
    const last = doc.content[doc.content.length - 1];
    assert.deepEqual(last.type === 'paragraph' && last.content[1], {
      type: 'text',
      text: 'message by Olo Brockhouse in parsable',
      marks: [{ type: 'em' }, { type: 'link', attrs: { href: payload.linkToMessage } }],
    });
  });

  it('attributes without a link when the link is missing or unsafe', () => {
    const doc = messageToAdf({ content: 'hi', contentType: 'text', link: 'javascript:alert(1)' });
    assertValidAdf(doc);
    assert.doesNotMatch(JSON.stringify(doc), /javascript|"link"/);
    assert.match(adfText(doc), /From Teams: message by a Teams user$/);
  });
});

describe('textToAdf', () => {
  it('keeps plain text as typed, with paragraphs and line breaks', () => {
    const doc = textToAdf('first <b>line</b>\nsecond\n\n\nthird  \n');
    assertValidAdf(doc);
    assert.deepEqual(doc.content, [
      { type: 'paragraph', content: [{ type: 'text', text: 'first <b>line</b>' }, { type: 'hardBreak' }, { type: 'text', text: 'second' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'third' }] },
    ]);
  });

  it('produces an empty but valid document for blank text', () => {
    const doc = textToAdf('  \n\n ');
    assertValidAdf(doc);
    assert.deepEqual(doc.content, []);
  });
});

describe('adfToPlainText', () => {
  it('gives editable text with bullets, numbers, quotes and code kept verbatim', () => {
    const doc = htmlToAdf(
      '<p>Hi <b>team</b></p><ul><li>one<ol><li>sub</li></ol></li></ul><blockquote>quoted</blockquote><pre><code>a  &lt;b&gt;<br>c</code></pre><table><tr><td>x</td><td>y</td></tr></table>',
    );
    assert.equal(adfToPlainText(doc.content), 'Hi team\n\n- one\n  1. sub\n\n> quoted\n\na  <b>\nc\n\nx | y');
  });
});
