// Writes layout facts onto every element as data-onevoice-* attributes, then returns the
// serialised DOM for onevoice.extract.extract_page. One call: () => {html, width, height}.
// Boxes are full-page CSS pixels "x y w h". Colours are #rrggbb. Nothing here judges.
() => {
  const P = "data-onevoice-";
  const root = document.documentElement;
  const body = document.body;
  const scrollX = window.scrollX;
  const scrollY = window.scrollY;
  const width = Math.max(root.scrollWidth, body ? body.scrollWidth : 0);
  const height = Math.max(root.scrollHeight, body ? body.scrollHeight : 0);
  const SKIP = new Set(["HEAD", "SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "META", "LINK", "TITLE"]);
  const STYLED = new Set(["A", "BUTTON", "INPUT", "LABEL", "SELECT", "TEXTAREA"]);

  const hex = (value) => {
    const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(value || "");
    if (!match) return null;
    if (match[4] !== undefined && parseFloat(match[4]) === 0) return null;
    return "#" + [1, 2, 3].map((i) => Math.min(255, Math.round(parseFloat(match[i]))).toString(16).padStart(2, "0")).join("");
  };
  const firstFamily = (stack) => (stack.split(",")[0] || "").trim().replace(/^["']|["']$/g, "");
  const round = (n) => Math.round(n * 10) / 10;
  const hasOwnText = (el) => {
    for (const node of el.childNodes) {
      if (node.nodeType === 3 && node.nodeValue.trim()) return true;
    }
    return false;
  };
  const clipped = (style) =>
    /^rect\(\s*0(px)?[,\s]+0(px)?[,\s]+0(px)?[,\s]+0(px)?\s*\)$/.test(style.clip) || /inset\(\s*50%/.test(style.clipPath);

  // ancestorHidden: an ancestor hides its subtree by means children do not inherit in computed
  // style (opacity 0, clipping, a collapsed box that cuts off its overflow).
  const visit = (el, parentBg, ancestorHidden, parentPaint) => {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const x = rect.left + scrollX;
    const y = rect.top + scrollY;
    const display = style.display;
    el.setAttribute(P + "box", `${round(x)} ${round(y)} ${round(rect.width)} ${round(rect.height)}`);
    el.setAttribute(P + "display", display);
    const ownBg = hex(style.backgroundColor);
    const bg = ownBg || parentBg;
    if (bg) el.setAttribute(P + "bg", bg);
    const bgImage = /url\(\s*["']?([^"')]+)/.exec(style.backgroundImage);
    if (bgImage) el.setAttribute(P + "bgimg", bgImage[1]);
    // What paints the background behind the element when one colour does not tell it: a gradient,
    // an image, or a colour one can see through (its own, else the nearest painted ancestor's).
    const alpha = /rgba\([^)]*[,/]\s*([\d.]+)\s*\)$/.exec(style.backgroundColor);
    const ownPaint = /gradient\(/.test(style.backgroundImage) ? "gradient"
      : bgImage ? "image"
      : alpha && parseFloat(alpha[1]) > 0 && parseFloat(alpha[1]) < 1 ? "translucent" : null;
    const paint = ownPaint || (ownBg && !alpha ? null : parentPaint);
    if (paint) el.setAttribute(P + "paint", paint);

    const tiny = rect.width <= 1 && rect.height <= 1;
    const cutsOverflow = style.overflow !== "visible" && (tiny || rect.width === 0 || rect.height === 0);
    const hidesSubtree = ancestorHidden || parseFloat(style.opacity) === 0 || clipped(style) || cutsOverflow;
    const offScreen = rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0 || x >= width;
    const empty = display !== "contents" && (rect.width === 0 || rect.height === 0);
    const hidden = hidesSubtree || display === "none" || style.visibility !== "visible" || offScreen;
    // "empty": laid out where it stands, but of zero size (nothing inside it painted).
    if (hidden || empty) el.setAttribute(P + "hidden", hidden ? "1" : "empty");

    if (STYLED.has(el.tagName) || hasOwnText(el)) {
      const color = hex(style.color);
      if (color) el.setAttribute(P + "color", color);
      el.setAttribute(P + "font", firstFamily(style.fontFamily));
      el.setAttribute(P + "font-size", String(parseFloat(style.fontSize)));
      el.setAttribute(P + "font-weight", String(parseInt(style.fontWeight, 10) || 400));
    }
    if (el.tagName === "IMG") {
      if (el.currentSrc || el.src) el.setAttribute(P + "src", el.currentSrc || el.src);
      if (el.complete && el.naturalWidth === 0 && (el.currentSrc || el.src)) el.setAttribute(P + "broken", "1");
    }
    if (el.namespaceURI === "http://www.w3.org/2000/svg") return; // an inline SVG is one image
    for (const child of el.children) {
      if (!SKIP.has(child.tagName)) visit(child, bg, hidesSubtree, paint);
    }
  };

  root.setAttribute(P + "annotated", "1");
  // The canvas behind a page that paints no background of its own is white.
  if (body) visit(body, hex(getComputedStyle(root).backgroundColor) || "#ffffff", false, null);
  return { html: root.outerHTML, width, height };
}
