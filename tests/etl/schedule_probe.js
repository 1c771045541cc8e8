// Drives n8n's own Schedule Trigger code (the pinned n8n-nodes-base) with a fake clock and prints
// the minutes at which a rule fires. Usage: node schedule_probe.js <n8n-nodes-base dir> <rule JSON>
//   <start ISO> <hours> <nodeKey>
// It reproduces ScheduleTrigger.trigger(): the cron expression from toCronExpression decides the
// ticks (here: which second of every minute), recurrenceCheck decides whether a tick fires.
const path = require('path');
const [base, ruleJson, startIso, hours, nodeKey] = process.argv.slice(2);
const gf = require(path.join(base, 'dist/nodes/Schedule/GenericFunctions.js'));
const { CronTime } = require(require.resolve('cron', { paths: [base] }));
const interval = gf.withIntervalDefaults(JSON.parse(ruleJson));
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
console.log(JSON.stringify({ expression, recurrence, ticks, fires }));
