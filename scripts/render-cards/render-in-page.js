// Runs inside the Chromium page, after markdown-it and adaptivecards are loaded.
/* global window, document, AdaptiveCards, markdownit */
window.renderCard = function renderCard(card, config, expand) {
  const md = markdownit({ html: false, linkify: false });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };
  const adaptive = new AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new AdaptiveCards.HostConfig(config);
  const context = new AdaptiveCards.SerializationContext();
  adaptive.parse(card, context);
  const warnings = [];
  for (let i = 0; i < context.eventCount; i++) warnings.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of adaptive.validateProperties().validationEvents) warnings.push(`validate: ${event.message}`);
  const rendered = adaptive.render();
  const host = document.getElementById('host');
  host.replaceChildren();
  if (!rendered) warnings.push('render: nothing rendered');
  else host.appendChild(rendered);
  for (const title of expand) {
    const button = Array.from(document.querySelectorAll('button')).find((b) => (b.textContent || '').trim() === title);
    if (button) button.click();
    else warnings.push(`expand: no button titled ${title}`);
  }
  return { warnings };
};

window.imagesLoaded = function imagesLoaded() {
  return Array.from(document.images).every((img) => img.complete);
};

// Acts on the rendered card as a user would: type into inputs (textarea, select), press a
// button; returns what the renderer hands the host for that button (verb and merged data).
window.actOnCard = function actOnCard(values, buttonTitle) {
  let executed;
  AdaptiveCards.AdaptiveCard.onExecuteAction = (action) => {
    executed = { type: action.getJsonTypeName(), verb: action.verb, data: action.data };
  };
  for (const [selector, value] of Object.entries(values)) {
    const control = document.querySelector(selector);
    if (!control) return { error: `no control ${selector}` };
    control.value = value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
  const button = Array.from(document.querySelectorAll('button')).find((b) => (b.textContent || '').trim() === buttonTitle);
  if (!button) return { error: `no button titled ${buttonTitle}` };
  button.click();
  return executed ? { executed } : { error: 'nothing executed (an input failed validation?)' };
};
