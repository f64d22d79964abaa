// How the web editor reads and writes the playbook's YAML files: in the layout people write by hand.
//
// Decap CMS saves a file by writing its data out afresh, in its own layout: keys in an order that
// changes with the number of fields, long lines folded, the `$schema` line dropped. Saving one rule
// would then rewrite every rule in rules.yml. This format writes what the sample files look like
// (keys in the models' order, one record per paragraph, id lists in brackets, text blocks as `|`),
// so a save changes only the lines of the record that changed, and the schema line survives.
// tests/test_editor.py checks that every sample file reads and writes back byte for byte.
//
// The formats, one per kind of record, come from admin/formats.js, which the build makes from the
// models (generator/editor.py): the schema line, the order of keys and which list holds the records.

import { Document, isScalar, isSeq, parseDocument, visit } from "./yaml/index.js";

// YAML 1.1, as PyYAML reads it: `yes` and `0o7` stay quoted text. Dates stay text, as the models read them.
const OPTIONS = {
  version: "1.1",
  customTags: (tags) => tags.filter((tag) => tag.tag !== "tag:yaml.org,2002:timestamp"),
};
const LAYOUT = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false, indentSeq: true };

export function fromFile(text) {
  const document = parseDocument(text, OPTIONS);
  if (document.errors.length) throw new Error(document.errors.map((error) => error.message).join("\n"));
  return document.toJS() ?? {};
}

export function toFile(data, format) {
  const document = new Document(ordered(withoutEmpty(data), format.order, ""), OPTIONS);
  visit(document, {
    Seq(_, seq, path) {
      if (seq.items.every(isShortScalar)) seq.flow = true;
      else if (where(path) === format.records) seq.items.slice(1).forEach((item) => (item.spaceBefore = true));
    },
    Map(_, map, path) {
      // Below the file's own keys, a map of words and dates goes on one line, as a person's consent does.
      if (path.length > 2 && map.items.every((pair) => isShortScalar(pair.value))) map.flow = true;
    },
    Scalar(_, scalar) {
      if (typeof scalar.value === "string" && scalar.value.includes("\n")) scalar.type = "BLOCK_LITERAL";
    },
  });
  return `${format.modeline}\n${document.toString(LAYOUT)}`;
}

// A word, number or date: short enough for `[a, b]` and `{granted: true, date: 2026-01-05}`.
function isShortScalar(node) {
  return isScalar(node) && !/\s/.test(String(node.value)) && String(node.value) !== "";
}

// The dotted path of a node, lists as `*`, as generator/editor.py names them in `order`.
function where(path) {
  const keys = [];
  for (const node of path) {
    if (isSeq(node)) keys.push("*");
    else if (node.key !== undefined && isScalar(node.key)) keys.push(String(node.key.value));
  }
  return keys.join(".");
}

// A form leaves an untouched optional field as null, "" or {}: the file leaves it out, as people do.
function withoutEmpty(value) {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== "object") return value;
  const kept = {};
  for (const [key, inner] of Object.entries(value)) {
    const clean = withoutEmpty(inner);
    const empty = clean === null || clean === undefined || clean === "" ||
      (typeof clean === "object" && !Array.isArray(clean) && Object.keys(clean).length === 0);
    if (!empty) kept[key] = clean;
  }
  return kept;
}

// Keys in the models' order at every level; a key the models do not know keeps its place after them.
function ordered(value, order, at) {
  if (Array.isArray(value)) return value.map((item) => ordered(item, order, at ? `${at}.*` : "*"));
  if (value === null || typeof value !== "object") return value;
  const known = order[at] ?? [];
  const rank = (key) => (known.includes(key) ? known.indexOf(key) : known.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((key) => [key, ordered(value[key], order, at ? `${at}.${key}` : key)]));
}

// Register one format per kind with Decap, then start it: the formats must exist before it reads a file.
export function register(CMS, formats) {
  for (const [name, format] of Object.entries(formats)) {
    CMS.registerCustomFormat(name, "yml", { fromFile, toFile: (data) => toFile(data, format) });
  }
  CMS.init();
}
