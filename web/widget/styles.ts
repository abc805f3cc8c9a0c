/**
 * The widget's stylesheet, inside its shadow root so the host page's styles
 * neither reach in nor are touched. The host page themes it through CSS
 * custom properties on the host element (or any ancestor): they inherit
 * into the shadow root. docs/widget.md lists them.
 */
export const WIDGET_CSS = `
:host{all:initial;display:block;
--_accent:var(--parley-accent,#1d4ed8);--_bg:var(--parley-background,#fff);--_text:var(--parley-text,#111827);
--_font:var(--parley-font,system-ui,-apple-system,"Segoe UI",sans-serif);--_radius:var(--parley-radius,8px)}
.w{font:14px/1.4 var(--_font);color:var(--_text);background:var(--_bg);border:1px solid color-mix(in srgb,var(--_text) 25%,transparent);
border-radius:var(--_radius);display:flex;flex-direction:column;max-height:var(--parley-height,420px);overflow:hidden}
h2{font-size:15px;margin:0;padding:8px 12px;background:var(--_accent);color:#fff}
.log{flex:1;overflow-y:auto;padding:8px 12px;min-height:120px}
.log ul{margin:0;padding:0;list-style:none}
.log li{margin:0 0 6px}
.who{font-weight:600;margin-inline-end:6px}
.mine .who{color:var(--_accent)}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
form{display:flex;gap:6px;padding:8px 12px;border-top:1px solid color-mix(in srgb,var(--_text) 15%,transparent);align-items:end;flex-wrap:wrap}
label{display:block;font-size:12px;width:100%}
input{flex:1;min-width:0;font:inherit;color:inherit;background:var(--_bg);padding:6px 8px;border:1px solid color-mix(in srgb,var(--_text) 40%,transparent);border-radius:calc(var(--_radius)/2)}
button{font:inherit;padding:6px 12px;border:0;border-radius:calc(var(--_radius)/2);background:var(--_accent);color:#fff;cursor:pointer}
button:disabled{opacity:.6;cursor:default}
input:focus-visible,button:focus-visible,.log:focus-visible{outline:3px solid var(--_accent);outline-offset:2px}
.note{margin:0;padding:6px 12px;font-size:13px}
.note:empty{display:none}
.empty{opacity:.7}
`;
