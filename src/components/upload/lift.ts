/**
 * A Svelte action: while `on`, the element lives at the end of <body>; a
 * comment marks its place in the page so it goes back there. The compare
 * view's wide mode uses it: the page layout puts its content in a stacking
 * context under the site header and sidebars, which a fixed element inside
 * it cannot rise above.
 */
export function liftToBody(node: HTMLElement, on: boolean) {
  const mark = document.createComment('lifted');
  node.before(mark);
  const place = (up: boolean) => {
    if (up && node.parentNode !== document.body) document.body.append(node);
    else if (!up && mark.parentNode && node.previousSibling !== mark) mark.after(node);
  };
  place(on);
  return {
    update: place,
    destroy() {
      if (node.parentNode === document.body) node.remove();
      mark.remove();
    },
  };
}
