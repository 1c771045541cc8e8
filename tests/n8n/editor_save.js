// What the n8n editor sends when it saves a workflow it opened, as far as the node data goes: on opening,
// the editor resolves every node's parameters with all their defaults filled in (editor-ui's
// useCanvasOperations.resolveNodeParameters: NodeHelpers.getNodeParameters(..., returnDefaults = true)) and
// keeps them so in its store. The save sends the store, so a workflow saved this way carries every default:
// the worst case for a small diff on export (the editor itself drops defaults again before saving; a
// workflow written through the REST API by another client may not).
//   node editor_save.js <n8n install folder>  < workflow (as GET /rest/workflows/:id returns it)  > PATCH body
'use strict';
const path = require('path');
const modules = path.join(process.argv[2], 'node_modules');
const { NodeHelpers } = require(path.join(modules, 'n8n-workflow'));
const descriptions = require(path.join(modules, 'n8n-nodes-base', 'dist', 'types', 'nodes.json'));

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const workflow = JSON.parse(input);
  const nodes = workflow.nodes.map((node) => {
    const name = node.type.replace(/^n8n-nodes-base\./, '');
    const type = descriptions.find((d) => d.name === name && [].concat(d.version).includes(node.typeVersion));
    const parameters = type
      ? NodeHelpers.getNodeParameters(type.properties, node.parameters, true, false, node, type)
      : node.parameters;
    return { ...node, parameters, position: node.position.map(Number) };
  });
  const body = { name: workflow.name, nodes, connections: workflow.connections, settings: workflow.settings,
                 pinData: workflow.pinData || {}, meta: workflow.meta, versionId: workflow.versionId };
  process.stdout.write(JSON.stringify(body));
});
