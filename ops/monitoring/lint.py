#!/usr/bin/env python3
"""Checks the monitoring files against the metrics aidtrail exports.

Usage: lint.py OUT_RULES  (run from ops/monitoring; check.sh does)

- every metric and label named in the rules and the dashboard is one the
  server exports (histograms only with _bucket/_sum/_count), and every label
  value it fixes for `result` and `db` is one the server uses;
- every alert has `for:`, a severity, and summary/description in Chinese
  first, English after; each has a firing and a quiet unit test and a
  runbook entry in README.md;
- the dashboard takes its data source from ${DS_PROMETHEUS}, has unique panel
  ids, Chinese-first titles, and shows every exported metric;
- writes the dashboard's queries (Grafana variables filled in) to OUT_RULES
  as recording rules, for `promtool check rules` to parse.

Exits 1 and names every problem found.
"""

import json
import re
import sys

import yaml

RULES = "aidtrail.rules.yml"
TESTS = "promtool-tests.yml"
DASHBOARD = "grafana-dashboard.json"
README = "README.md"

# metric -> its own labels (every series also has instance and job).
METRICS = {
    "aidtrail_commands_total": {"command", "result"},
    "aidtrail_events_appended_total": set(),
    "aidtrail_projection_lag_records": {"view"},
    "aidtrail_overdue_cases": {"kind"},
    "aidtrail_missing_step_cases": {"step"},
    "aidtrail_late_entries": {"step"},
    "aidtrail_simulated_clock_events": set(),
    "aidtrail_writer_owns_log": set(),
    "aidtrail_writer_voided_commits_total": set(),
    "aidtrail_writer_claims_total": set(),
    "aidtrail_http_requests_total": {"route", "method", "code"},
    "aidtrail_log_up": set(),
    "aidtrail_ready": set(),
    "aidtrail_rocksdb_background_errors": {"db"},
    "aidtrail_kafka_broker_up": set(),
    "up": set(),
}
HISTOGRAMS = {
    "aidtrail_append_duration_seconds": set(),
    "aidtrail_http_request_duration_seconds": {"route", "method"},
}
TARGET_LABELS = {"instance", "job"}
LABEL_VALUES = {
    "result": {"accepted", "rejected", "replayed", "failed"},
    "db": {"log", "views", "keys"},
}
SEVERITIES = {"critical", "warning"}

KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
    "group_right", "offset", "bool", "inf", "nan", "atan2", "start", "end",
}
# Words that may stand before the Chinese text: names, not English prose.
WORD = r"(?<![\w])[A-Za-z][A-Za-z'-]+"
NAMES = {"aidtrail", "kafka", "broker", "rocksdb", "prometheus", "http", "get", "post", "metrics"}

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def series_labels(name, recorded):
    """The labels a series of `name` has, or None if no such metric."""
    if name in METRICS:
        return METRICS[name] | TARGET_LABELS
    for base, labels in HISTOGRAMS.items():
        if name == base + "_bucket":
            return labels | TARGET_LABELS | {"le"}
        if name in (base + "_sum", base + "_count"):
            return labels | TARGET_LABELS
    if name in recorded:
        return recorded[name]
    return None


ALL_LABELS = set().union(*METRICS.values(), *HISTOGRAMS.values(), TARGET_LABELS, {"le"})


def check_value(where, label, op, value):
    allowed = LABEL_VALUES.get(label)
    if allowed is None or op in ("!=", "!~"):
        return
    if op == "=":
        words = [value]
    elif re.fullmatch(r"\w+(\|\w+)*", value):
        words = value.split("|")
    else:
        return
    for w in words:
        if w not in allowed:
            problem(where, f'{label}="{w}" is not one of {sorted(allowed)}')


def check_expr(where, expr, recorded):
    """Checks metric and label names in one PromQL expression; returns the
    metric names it reads."""
    strings = []

    def keep(m):
        strings.append(m.group(0)[1:-1])
        return f'"#{len(strings) - 1}"'

    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', keep, expr)
    used = set()

    def selector(m):
        name, body = m.group(1), m.group(2)
        matchers = re.findall(r'([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"#(\d+)"', body)
        if len(matchers) != len([x for x in body.split(",") if x.strip()]):
            problem(where, f"cannot read the matchers {{{body}}}")
        for label, op, i in matchers:
            if label == "__name__" and op == "=":
                name = strings[int(i)]
        if not name:
            problem(where, "a selector without a metric name")
            return " "
        labels = series_labels(name, recorded)
        if labels is None:
            return " " + name + " "  # reported below with the other names
        for label, op, i in matchers:
            if label == "__name__":
                continue
            if label not in labels:
                problem(where, f"{name} has no label {label!r}")
            check_value(where, label, op, strings[int(i)])
        return " " + name + " "

    e = re.sub(r"(?<![\w:.])([A-Za-z_:][\w:]*)?\s*\{([^{}]*)\}", selector, e)

    def grouping(m):
        for label in re.findall(r"[A-Za-z_]\w*", m.group(2)):
            if label not in ALL_LABELS and label not in set().union(*recorded.values(), set()):
                problem(where, f"{m.group(1)} ({label}): no metric has that label")
        return " "

    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)", grouping, e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r'"#\d+"', " ", e)
    for m in re.finditer(r"(?<![\w:.])([A-Za-z_:][\w:]*)(\s*\()?", e):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in KEYWORDS:
            continue
        if series_labels(word, recorded) is None:
            problem(where, f"unknown metric {word!r}")
        used.add(word)
    return used


def chinese_first(where, text):
    plain = re.sub(r"\{\{.*?\}\}", " ", text)
    cjk = re.search(r"[\u4e00-\u9fff]", plain)
    if not cjk:
        problem(where, f"no Chinese text: {text!r}")
        return
    for w in re.finditer(WORD, plain):
        if w.start() > cjk.start():
            break
        if w.group(0).lower() not in NAMES:
            problem(where, f"English ({w.group(0)!r}) before the Chinese: {text!r}")
            return
    last = max(m.start() for m in re.finditer(r"[\u4e00-\u9fff]", plain))
    if not re.search(WORD, plain[last:]):
        problem(where, f"no English after the Chinese: {text!r}")


def load(path, loader):
    try:
        with open(path, encoding="utf-8") as f:
            return loader(f)
    except (OSError, ValueError, yaml.YAMLError) as err:
        problem(path, f"cannot load: {err}")
        return None


def check_rules(rules, readme):
    recorded, alerts, exprs = {}, [], []
    for group in rules.get("groups", []):
        for r in group.get("rules", []):
            if "record" in r:
                by = re.findall(r"\bby\s*\(([^()]*)\)", r["expr"])
                labels = set(re.findall(r"[A-Za-z_]\w*", by[-1])) - {"le"} if by else set()
                recorded[r["record"]] = labels | {"instance", "job"}
                exprs.append((f"{RULES}: record {r['record']}", r["expr"]))
            else:
                alerts.append(r)
                exprs.append((f"{RULES}: alert {r.get('alert')}", r["expr"]))
    for where, expr in exprs:
        check_expr(where, expr, recorded)
    for a in alerts:
        where = f"{RULES}: alert {a['alert']}"
        if "for" not in a:
            problem(where, "no for:")
        if a.get("labels", {}).get("severity") not in SEVERITIES:
            problem(where, f"severity must be one of {sorted(SEVERITIES)}")
        for key in ("summary", "description"):
            text = a.get("annotations", {}).get(key)
            if not text:
                problem(where, f"no {key} annotation")
            else:
                chinese_first(f"{where} {key}", text)
        if readme is not None and a["alert"] not in readme:
            problem(README, f"no runbook entry for {a['alert']}")
    return recorded, [a["alert"] for a in alerts]


def check_tests(tests, alert_names):
    firing, quiet = set(), set()
    for t in tests.get("tests", []):
        for c in t.get("alert_rule_test", []):
            (firing if c.get("exp_alerts") else quiet).add(c["alertname"])
    for name in alert_names:
        if name not in firing:
            problem(TESTS, f"no test where {name} fires")
        if name not in quiet:
            problem(TESTS, f"no test where {name} stays quiet")


def check_dashboard(dash, recorded, out_path):
    ds = "${DS_PROMETHEUS}"
    if not 36 <= dash.get("schemaVersion", 0) <= 41:
        problem(DASHBOARD, f"schemaVersion {dash.get('schemaVersion')} (expected about 38)")
    if not any(i.get("name") == "DS_PROMETHEUS" for i in dash.get("__inputs", [])):
        problem(DASHBOARD, "no DS_PROMETHEUS input")
    variables = dash.get("templating", {}).get("list", [])
    if not any(v.get("name") == "DS_PROMETHEUS" and v.get("type") == "datasource" for v in variables):
        problem(DASHBOARD, "no DS_PROMETHEUS data source variable")
    names = [v["name"] for v in variables if v.get("type") != "datasource"]
    chinese_first(f"{DASHBOARD} title", dash.get("title", ""))

    used, rules, ids = set(), [], set()
    panels = list(dash.get("panels", []))
    for p in panels:
        panels.extend(p.get("panels", []))
    for v in variables:
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        m = re.fullmatch(r"\s*label_values\(\s*([\w:]+)\s*,\s*(\w+)\s*\)\s*", q)
        if v.get("type") == "query":
            if not m:
                problem(DASHBOARD, f"variable {v['name']}: cannot read {q!r}")
            else:
                used |= check_expr(f"{DASHBOARD} variable {v['name']}", f'{m.group(1)}{{{m.group(2)}=""}}', recorded)
        if v.get("type") == "query" and v.get("datasource", {}).get("uid") != ds:
            problem(DASHBOARD, f"variable {v['name']}: data source is not {ds}")
    for p in panels:
        where = f"{DASHBOARD} panel {p.get('id')} {p.get('title')!r}"
        if p.get("id") in ids:
            problem(where, "duplicate panel id")
        ids.add(p.get("id"))
        chinese_first(where, p.get("title", ""))
        if p.get("type") == "row":
            continue
        if p.get("datasource", {}).get("uid") != ds:
            problem(where, f"data source is not {ds}")
        if not p.get("targets"):
            problem(where, "no queries")
        for t in p.get("targets", []):
            expr = t.get("expr", "")
            if not expr.strip():
                problem(where, f"query {t.get('refId')} is empty")
                continue
            if t.get("datasource", {}).get("uid", ds) != ds:
                problem(where, f"query {t.get('refId')}: data source is not {ds}")
            e = re.sub(r"\$__(rate_interval|interval|range)\b", "5m", expr)
            for n in names:
                e = re.sub(r"\$\{%s(:\w+)?\}|\$%s\b" % (n, n), ".+", e)
            if "$" in e:
                problem(where, f"unknown variable in {expr!r}")
            used |= check_expr(f"{where} {t.get('refId')}", e, recorded)
            rules.append({"record": f"dashboard:panel_{p.get('id')}:{t.get('refId')}", "expr": e})
    for name in list(METRICS) + list(HISTOGRAMS):
        if not any(u == name or u.startswith(name + "_") for u in used):
            problem(DASHBOARD, f"no panel shows {name}")
    with open(out_path, "w", encoding="utf-8") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, f, allow_unicode=True, sort_keys=False)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rules = load(RULES, yaml.safe_load)
    tests = load(TESTS, yaml.safe_load)
    dash = load(DASHBOARD, json.load)
    readme = load(README, lambda f: f.read())
    recorded, alert_names = check_rules(rules, readme) if rules else ({}, [])
    if tests:
        check_tests(tests, alert_names)
    if dash:
        check_dashboard(dash, recorded, sys.argv[1])
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"lint: {len(alert_names)} alerts, {len(recorded)} recording rules and the dashboard name only exported metrics")


if __name__ == "__main__":
    main()
