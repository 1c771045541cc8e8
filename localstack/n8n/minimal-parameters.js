// Node parameters as the n8n editor saves them: what differs from the node type's defaults, by n8n's own
// rule (n8n-workflow's NodeHelpers.getNodeParameters, the call the editor makes before every save), read
// from the pinned install this runs in. `promptsales n8n export` uses it so that a workflow reads the same
// whether the editor, the REST API or an import last wrote it: the editor fills every default in when it
// opens a workflow, and n8n stores whatever a client sends.
//
//   node minimal-parameters.js <n8n install folder>  < [{"type", "typeVersion", "parameters"}, ...]
//   -> [parameters or null, ...]   (null: a node type this install does not know; keep its parameters)
'use strict';

const path = require('path');

const modules = path.join(process.argv[2], 'node_modules');
const { NodeHelpers } = require(path.join(modules, 'n8n-workflow'));
const descriptions = require(path.join(modules, 'n8n-nodes-base', 'dist', 'types', 'nodes.json'));

function description(type, version) {
  const name = type.replace(/^n8n-nodes-base\./, '');
  return descriptions.find((d) => d.name === name && [].concat(d.version).includes(version));
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const nodes = JSON.parse(input);
  const out = nodes.map((node) => {
    const type = description(node.type, node.typeVersion);
    if (!type) return null;
    return NodeHelpers.getNodeParameters(type.properties, node.parameters || {}, false, false, node, type) || {};
  });
  process.stdout.write(JSON.stringify(out));
});
