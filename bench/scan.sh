#!/usr/bin/env bash
# Vulnerability scanners against a running site (README «Hostile traffic»; not part of `make test`).
#   make stack && bash bench/scan.sh                 # the production topology (nginx :8080)
#   TARGET=http://127.0.0.1:8000 bash bench/scan.sh  # or any running instance
# SCAN_FORCE (wapiti's -S, default paranoid) keeps at most a few URLs of each pattern (same path, same parameter
# names): the facets and calendar filters give the crawl ~1,300 URLs and forms of a few dozen patterns, and
# attacking every one took hours. SCAN_SECONDS caps the crawl (900) and ATTACK_SECONDS each of the nine attack
# modules (1,200); wapiti 3.0.4 checks that cap only between URLs, so a module may overrun it. The summary says
# which modules went through every URL and which the cap stopped.
# wapiti crawls the site (Debian's 3.0.4 cannot exclude paths on Python 3.11; the admin only redirects
# it to the login) and tries XSS, SQL injection, command execution, file disclosure,
# CRLF, open redirects and SSRF on every parameter and form it finds; sqlmap then tries SQL injection
# on the parameters that reach the database (search, calendar filters, atlas facets, registry
# filters). Both come from Debian (apt-get install wapiti sqlmap). Prints the findings and a summary;
# exit status 1 if either reports a vulnerability. Reports go to bench/results/scan-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${TARGET:-http://127.0.0.1:8080}
out="bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
command -v wapiti >/dev/null && command -v sqlmap >/dev/null || {
  echo "wapiti and sqlmap are needed: apt-get install -y wapiti sqlmap"; exit 2; }
curl -fsS -o /dev/null "$TARGET/healthz" || { echo "nothing answers at $TARGET"; exit 2; }

echo "== wapiti on $TARGET (public site, admin excluded)"
wapiti -u "$TARGET/" --scope folder -S "${SCAN_FORCE:-paranoid}" \
  --max-scan-time "${SCAN_SECONDS:-900}" --max-attack-time "${ATTACK_SECONDS:-1200}" \
  --max-links-per-page 40 --max-files-per-dir 40 \
  -m "xss,permanentxss,sql,blindsql,exec,file,crlf,redirect,ssrf" --flush-session \
  -f json -o "$out/wapiti.json" >"$out/wapiti.log" 2>&1 || true
python3 - "$out/wapiti.json" "$out/wapiti.log" <<'PY'
import json, re, sys
log = open(sys.argv[2], errors="replace").read()
launched = re.findall(r"Launching module (\w+)", log)
stopped = set(re.findall(r"Max attack time was reached for module (\w+)", log))
for name in launched:
    print(f"  module {name}: {'stopped by ATTACK_SECONDS' if name in stopped else 'every URL and form attacked'}")
print(f"wapiti modules: {len(launched)} launched, {len(launched) - len(stopped & set(launched))} complete")
report = json.load(open(sys.argv[1]))
found = {name: items for name, items in report.get("vulnerabilities", {}).items() if items}
for name, items in found.items():
    for item in items:
        print(f"  {name}: {item.get('method')} {item.get('path')} {item.get('parameter')} — {item.get('info')}")
print(f"wapiti: {sum(map(len, found.values()))} findings, {len(report.get('infos', {}).get('crawled_pages', []) or [])} pages crawled")
open(sys.argv[1] + ".count", "w").write(str(sum(map(len, found.values()))))
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
wapiti_findings=$(cat "$out/wapiti.json.count")
echo "== summary: wapiti $wapiti_findings, sqlmap $sql_findings (reports in $out)"
[ "$wapiti_findings" = 0 ] && [ "$sql_findings" = 0 ]
