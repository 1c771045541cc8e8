#!/bin/sh
# Import credentials and workflows into n8n's database, then publish the ones with a trigger.
# Runs in the n8n image before n8n main starts (the same order `promptsales n8n import` uses locally:
# n8n stopped, import, publish, start). Safe to re-run: ids are stable, import overwrites by id.
set -eu
if [ -s /import/credentials.json ] && [ "$(cat /import/credentials.json)" != "[]" ]; then
  n8n import:credentials --input=/import/credentials.json
fi
rm -f /import/credentials.json
for file in /workflows/*.json; do
  [ -e "$file" ] || continue
  n8n import:workflow --input="$file"
done
while read -r workflow_id; do
  [ -n "$workflow_id" ] && n8n publish:workflow --id="$workflow_id"
done < /import/publish-ids.txt
echo "n8n import done"
