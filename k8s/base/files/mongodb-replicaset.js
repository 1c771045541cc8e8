// Initiate replica set rs0 if it is not yet, and wait until a primary is elected. Safe to re-run.
// Run (the bootstrap Job does) against mongodb-0 directly, as root:
//   mongosh "mongodb://root:...@mongodb-0.mongodb...:27017/admin?directConnection=true&tls=true&tlsCAFile=..." mongodb-replicaset.js
const replicas = parseInt(process.env.MONGODB_REPLICAS || "1", 10);
const domain = "mongodb.promptsales.svc.cluster.local";
let initiated = true;
try {
  rs.status();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") throw error;
  initiated = false;
}
if (!initiated) {
  const members = Array.from({ length: replicas }, (_, i) => ({ _id: i, host: `mongodb-${i}.${domain}:27017` }));
  printjson(rs.initiate({ _id: "rs0", members }));
}
for (let waited = 0; !db.hello().primary; waited++) {
  if (waited >= 120) throw new Error("replica set rs0 has no primary after 120 s");
  sleep(1000);
}
print(`rs0 primary: ${db.hello().primary}`);
