#!/usr/bin/env bash
# Vulnerability scanners against a running site (README «Hostile traffic»; not part of `make test`).
#   make stack && bash bench/scan.sh                 # the production topology (nginx :8080)
#   TARGET=http://127.0.0.1:8000 bash bench/scan.sh  # or any running instance
# The attack surface is a view and its parameters, not every page: the crawl (-S SCAN_FORCE, default paranoid;
# SCAN_SECONDS caps it, 900) finds ~900 URLs and forms, a few hundred of them the same view with the same
# parameters (the calendar's filters on 65 URLs, the atlas's adoption form on 37 practices), and attacking
# each took hours. So the crawl is kept, then pruned to PER_PATTERN (2) URLs of each pattern — method, first
# path segment, path depth, parameter names — with every URL without parameters kept (the stored-XSS module
# reads them back), and the nine modules attack that in four wapiti processes at once, each on its own copy
# of the session. A parameter repeated in one URL (a filter's ticked boxes: the calendar's with every box
# ticked has 36 for 8 names) is attacked once: the repeats held the XSS module on one URL for 15 minutes.
# MAX_PARAMETERS (wapiti's --max-parameters; 0, none) would leave out bigger URLs and forms — at 12 it
# left out the atlas's and the contests' application forms and the quiz, so it stays off.
# CRAWL_FROM=<an earlier run's directory> attacks that run's crawl again. ATTACK_SECONDS caps each module (1,200; wapiti 3.0.4 checks it only between URLs). The
# summary says which modules went through every URL and which the cap stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${TARGET:-http://127.0.0.1:8080}
out="bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
command -v wapiti >/dev/null && command -v sqlmap >/dev/null || {
  echo "wapiti and sqlmap are needed: apt-get install -y wapiti sqlmap"; exit 2; }
curl -fsS -o /dev/null "$TARGET/healthz" || { echo "nothing answers at $TARGET"; exit 2; }

echo "== wapiti on $TARGET (public site; the admin only redirects it to the login)"
wapiti_args=(-u "$TARGET/" --scope folder --max-links-per-page 40 --max-files-per-dir 40 -f json)
if [ -n "${CRAWL_FROM:-}" ]; then  # an earlier run's directory: attack its crawl again
  cp -r "$CRAWL_FROM/session" "$out/session"
else
  wapiti "${wapiti_args[@]}" -S "${SCAN_FORCE:-paranoid}" --max-scan-time "${SCAN_SECONDS:-900}" --module=-all \
    --store-session "$out/session" -o "$out/wapiti-crawl.json" >"$out/wapiti-crawl.log" 2>&1 || true
fi
python3 - "$out/session" "${PER_PATTERN:-2}" <<'PY'
import collections, glob, sqlite3, sys
from urllib.parse import urlsplit
db = sqlite3.connect(glob.glob(f"{sys.argv[1]}/*.db")[0])
kept, dropped = collections.Counter(), []
for path_id, url, method in db.execute("SELECT path_id, path, method FROM paths ORDER BY path_id").fetchall():
    names = tuple(sorted({n for (n,) in db.execute("SELECT name FROM params WHERE path_id = ? AND type IN ('GET', 'POST')", (path_id,))}))
    segments = urlsplit(url).path.strip("/").split("/")
    key = (method, segments[0], len(segments), names)
    if names and kept[key] >= int(sys.argv[2]):
        dropped.append(path_id)
    else:
        kept[key] += 1
db.executemany("DELETE FROM params WHERE path_id = ?", [(i,) for i in dropped])
db.executemany("DELETE FROM paths WHERE path_id = ?", [(i,) for i in dropped])
db.execute("DELETE FROM params WHERE rowid NOT IN (SELECT min(rowid) FROM params GROUP BY path_id, type, name)")
db.commit()
print(f"crawl: {sum(kept.values()) + len(dropped)} URLs and forms, {len(kept)} patterns; "
      f"attacking {sum(kept.values())} ({sum(n for k, n in kept.items() if k[3])} with parameters)")
PY
groups=("crlf,redirect,ssrf,file" "exec" "sql,blindsql" "xss,permanentxss")  # permanentxss needs xss in its run
for group in "${groups[@]}"; do
  name=${group//,/-}
  cp -r "$out/session" "$out/session-$name"
  wapiti "${wapiti_args[@]}" --skip-crawl -m "$group" --max-attack-time "${ATTACK_SECONDS:-1200}" \
    --max-parameters "${MAX_PARAMETERS:-0}" \
    --store-session "$out/session-$name" -o "$out/wapiti-$name.json" >"$out/wapiti-$name.log" 2>&1 &
done
wait
python3 - "$out" <<'PY'
import glob, json, re, sys
found, launched, stopped = {}, [], set()
for log in sorted(glob.glob(f"{sys.argv[1]}/wapiti-*.log")):
    text = open(log, errors="replace").read()
    launched += re.findall(r"Launching module (\w+)", text)
    stopped |= set(re.findall(r"Max attack time was reached for module (\w+)", text))
for path in sorted(glob.glob(f"{sys.argv[1]}/wapiti-*.json")):
    for name, items in json.load(open(path)).get("vulnerabilities", {}).items():
        found.setdefault(name, []).extend(items)
for name in launched:
    print(f"  module {name}: {'stopped by ATTACK_SECONDS' if name in stopped else 'every URL and form attacked'}")
for name, items in found.items():
    for item in items:
        print(f"  {name}: {item.get('method')} {item.get('path')} {item.get('parameter')} — {item.get('info')}")
count = sum(map(len, found.values()))
print(f"wapiti: {len(launched)} modules launched, {len(set(launched) - stopped)} complete; {count} findings")
open(f"{sys.argv[1]}/wapiti.count", "w").write(str(count))
PY

echo "== sqlmap on the parameters that reach the database"
sql_findings=0
for url in "$TARGET/search/?q=test" "$TARGET/events/?type=seminar&q=test" "$TARGET/atlas/?q=test&level=doo" \
           "$TARGET/safe-internet/normativnoe-regulirovanie/?kind=law&q=test" "$TARGET/news/?tag=test"; do
  name=$(echo "$url" | tr -c 'a-zA-Z0-9' '_' | cut -c1-60)
  sqlmap -u "$url" --batch --level 2 --risk 1 --threads 2 --smart --disable-coloring \
    --output-dir "$out/sqlmap" >"$out/sqlmap-$name.log" 2>&1 || true
  if grep -q "is vulnerable\|sqlmap identified the following injection" "$out/sqlmap-$name.log"; then
    echo "  VULNERABLE: $url"; sql_findings=$((sql_findings + 1))
  else
    echo "  not injectable: $url"
  fi
done
wapiti_findings=$(cat "$out/wapiti.count")
echo "== summary: wapiti $wapiti_findings, sqlmap $sql_findings (reports in $out)"
[ "$wapiti_findings" = 0 ] && [ "$sql_findings" = 0 ]
