// Parse every ```mermaid block of the Markdown files named on the command line with Mermaid's own parser.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window; globalThis.document = dom.window.document;
try { globalThis.navigator = dom.window.navigator; } catch (e) {}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let bad = 0, blocks = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/```mermaid\n([\s\S]*?)```/g)) {
    blocks++;
    try { await mermaid.parse(m[1]); }
    catch (e) { bad++; console.log(`${file}: ${String(e.message || e).split("\n")[0]}`); }
  }
}
console.log(`${blocks} mermaid block(s), ${bad} invalid`);
process.exit(bad ? 1 : 0);
