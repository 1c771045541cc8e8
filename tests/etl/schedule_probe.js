// Drives n8n's own Schedule Trigger code (the pinned n8n-nodes-base) with a fake clock and prints
// the minutes at which a rule fires. Usage: node schedule_probe.js <n8n-nodes-base dir> <node or rule JSON>
//   <start ISO> <hours> <nodeKey>
// A node (type, typeVersion, parameters) first gets its parameters as n8n resolves them before it runs a
// workflow (n8n-workflow's Workflow fills every default in: NodeHelpers.getNodeParameters with defaults),
// then its first interval is taken; a bare rule is taken as it is.
// It reproduces ScheduleTrigger.trigger(): the cron expression from toCronExpression decides the
// ticks (here: which second of every minute), recurrenceCheck decides whether a tick fires.
const path = require('path');
const [base, ruleJson, startIso, hours, nodeKey] = process.argv.slice(2);
const gf = require(path.join(base, 'dist/nodes/Schedule/GenericFunctions.js'));
const { CronTime } = require(require.resolve('cron', { paths: [base] }));
const { NodeHelpers } = require(require.resolve('n8n-workflow', { paths: [base] }));

function ruleOf(given) {
  if (!given.parameters) return given;
  const description = require(path.join(base, 'dist/types/nodes.json')).find(
    (d) => d.name === given.type.replace(/^n8n-nodes-base\./, '') && [].concat(d.version).includes(given.typeVersion));
  const parameters = NodeHelpers.getNodeParameters(description.properties, given.parameters, true, false, given, description);
  return parameters.rule.interval[0];
}

const interval = gf.withIntervalDefaults(ruleOf(JSON.parse(ruleJson)));
const expression = gf.toCronExpression(interval, nodeKey);
const recurrence = gf.intervalToRecurrence(interval, 0);
const staticRules = [];
let now = Date.parse(startIso);
const end = now + Number(hours) * 3600 * 1000;
const realNow = Date.now;
Date.now = () => now;
const cron = new CronTime(expression, 'UTC');
const fires = [];
let ticks = 0;
while (true) {
  const next = cron.getNextDateFrom(new Date(now), 'UTC');
  now = next.toMillis ? next.toMillis() : next.valueOf();
  if (now > end) break;
  ticks += 1;
  if (gf.recurrenceCheck(recurrence, staticRules, 'UTC')) fires.push(new Date(now).toISOString());
  now += 1;
}
Date.now = realNow;
console.log(JSON.stringify({ rule: ruleOf(JSON.parse(ruleJson)), expression, recurrence, ticks, fires }));
