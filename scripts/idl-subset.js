// Writes, for each dependency IDL file, only the definitions the main IDL files reach: the
// interfaces, mixins, dictionaries, enums, typedefs and callbacks they name, the interfaces
// those inherit from, and the mixins they include — what idlharness.js keeps of a
// dependency anyway. A dependency's interfaces named with --test are kept as if they were in
// a main file (the types their members name are reached too), for pages that test them. Used by fetch-test-deps: WebIDLParser.js runs in time quadratic in its
// input on Boa 0.22 (a sticky RegExp is emulated by searching on), and the whole of html.idl
// would take minutes to parse.
//
// node idl-subset.js WEBIDL2_JS OUT_DIR [--test NAME]... MAIN.idl... -- DEP.idl...
"use strict";
const fs = require("fs");
const path = require("path");

const [webidl2Path, outDir, ...rest] = process.argv.slice(2);
const tested = new Set();
while (rest[0] === "--test") {
  tested.add(rest[1]);
  rest.splice(0, 2);
}
const mainFiles = rest.slice(0, rest.indexOf("--"));
const depFiles = rest.slice(rest.indexOf("--") + 1);
const WebIDL2 = require(path.resolve(webidl2Path));
const parse = file => WebIDL2.parse(fs.readFileSync(file, "utf8"));

// Every type name a node mentions, anywhere below it.
function typeNames(node, names, seen = new Set()) {
  if (node === null || typeof node !== "object" || seen.has(node)) {
    return names;
  }
  seen.add(node);
  if (typeof node.idlType === "string") {
    names.add(node.idlType);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== "parent" && key !== "tokens" && key !== "source") {
      typeNames(value, names, seen);
    }
  }
  return names;
}

const wanted = new Set(tested);
for (const definition of mainFiles.flatMap(parse)) {
  if (definition.name) wanted.add(definition.name);
  if (definition.inheritance) wanted.add(definition.inheritance);
  if (definition.type === "includes") {
    wanted.add(definition.target);
    wanted.add(definition.includes);
  }
  typeNames(definition, wanted);
}

const deps = depFiles.map(file => ({ file, definitions: parse(file), kept: new Set() }));
for (let grew = true; grew; ) {
  grew = false;
  for (const dep of deps) {
    dep.definitions.forEach((definition, index) => {
      if (dep.kept.has(index)) return;
      const named = definition.type === "includes" ? definition.target : definition.name;
      if (!wanted.has(named)) return;
      dep.kept.add(index);
      grew = true;
      const reached = new Set();
      if (definition.inheritance) reached.add(definition.inheritance);
      if (definition.type === "includes") reached.add(definition.includes);
      // Interfaces and mixins of a dependency are not tested (unless named with --test):
      // their members' types do not matter. Everything else (typedefs, callbacks,
      // dictionaries) is a type in use.
      if (tested.has(definition.name)
          || !["interface", "interface mixin", "namespace", "callback interface"].includes(definition.type)) {
        typeNames(definition, reached);
      }
      for (const name of reached) wanted.add(name);
    });
  }
}

fs.mkdirSync(outDir, { recursive: true });
for (const dep of deps) {
  const kept = dep.definitions.filter((_, index) => dep.kept.has(index));
  const roots = mainFiles.map(file => path.basename(file)).concat([...tested]).join(", ");
  const header = `// The definitions of ${path.basename(dep.file)} that ${roots} reach (see scripts/idl-subset.js).\n`;
  fs.writeFileSync(path.join(outDir, path.basename(dep.file)), header + WebIDL2.write(kept).trim() + "\n");
}
for (const file of mainFiles) {
  fs.copyFileSync(file, path.join(outDir, path.basename(file)));
}
