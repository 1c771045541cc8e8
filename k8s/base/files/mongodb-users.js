// Least-privilege MongoDB users, and any replica set members added since the set was initiated
// (1 member locally, 3 in production). Safe to re-run: creates or updates. Run on the primary as root
// with the replica set URI (the bootstrap Job does). Passwords come from the environment.
//   promptcontent_owner   dbOwner of PromptContent: db-init (validators, indexes) and the generators
//   promptcontent_app     readWrite on PromptContent: the content MCP server and n8n
//   promptcontent_backup  the built-in backup role: the backup CronJob
const replicas = parseInt(process.env.MONGODB_REPLICAS || "1", 10);
const domain = "mongodb.promptsales.svc.cluster.local";
const config = rs.conf();
const hosts = config.members.map((m) => m.host);
let nextId = Math.max(...config.members.map((m) => m._id)) + 1;
for (let i = 0; i < replicas; i++) {
  const host = `mongodb-${i}.${domain}:27017`;
  if (!hosts.includes(host)) {
    printjson(rs.add({ _id: nextId++, host }));
  }
}

const database = process.env.MONGODB_DATABASE || "promptcontent";
const admin = db.getSiblingDB("admin");
function upsertUser(name, password, roles) {
  if (!password) throw new Error(`no password for ${name}: check the mongodb-credentials Secret`);
  if (admin.getUser(name)) {
    admin.updateUser(name, { pwd: password, roles });
    print(`updated ${name}`);
  } else {
    admin.createUser({ user: name, pwd: password, roles });
    print(`created ${name}`);
  }
}
upsertUser("promptcontent_owner", process.env.MONGODB_OWNER_PASSWORD, [{ role: "dbOwner", db: database }]);
upsertUser("promptcontent_app", process.env.MONGODB_APP_PASSWORD, [{ role: "readWrite", db: database }]);
upsertUser("promptcontent_backup", process.env.MONGODB_BACKUP_PASSWORD, [{ role: "backup", db: "admin" }]);
