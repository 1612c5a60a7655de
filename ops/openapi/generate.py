#!/usr/bin/env python3
"""Writes the OpenAPI 3.0.3 document of the aidtrail API from
  - the route table the server runs (`aidtrail routes`: method, path, roles,
    summary),
  - the protobuf descriptors of events/proto and api/proto (component
    schemas by the canonical JSON mapping, with the .proto comments), and
  - route_docs.py (tags, query parameters, answers).
Usage: generate.py --routes ROUTES.json --descriptors SET.pb --out FILE
ops/openapi/generate.sh runs it with the right inputs.
"""

import argparse
import json
import pathlib
import re
import sys

import protojson
import route_docs

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMAND = "aidtrail.v1.Command"
COMMAND_PREFIX = "/v1/commands/"

# api/json.cc prints the error body with the field names as written.
PROTO_NAMES = ["aidtrail.api.ErrorBody"]

# What command_routes.cc (CheckEnvelope) adds to aidtrail.v1.Command over
# HTTP: the actor comes from the token and may not be sent, nor may a
# migration mark (only `aidtrail import` loads history); the command id, the
# stream id and the route's payload are required.
COMMAND_FORBIDDEN = {"actor", "migration"}
COMMAND_REQUIRED = ["command_id", "stream_id"]

INFO_DESCRIPTION = """\
法律援助案件全过程监管接口。所有写入都是指令（POST /v1/commands/<kind>），记录到不可篡改的事件日志；读取来自由日志折叠出的视图。

Request and response bodies use the protobuf canonical JSON mapping: \
lowerCamelCase field names, 64-bit integers as strings, enums by name, \
timestamps in RFC 3339, every scalar field printed. Every refusal carries \
{code, message, message_zh, field} with a stable code; a method a path does \
not support is answered 405 with the same body. Routes with roles need \
`Authorization: Bearer <token>` (issued by `aidtrail token`); \
x-aidtrail-roles lists the roles each route allows."""


class Undocumented(Exception):
    pass


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(aidtrail VERSION ([0-9.]+)", text).group(1)


def operation_id(method, path):
    if path.startswith(COMMAND_PREFIX):
        return path[len(COMMAND_PREFIX):]
    words = re.split(r"[/{}_.-]+", path.removeprefix("/v1"))
    return method.lower() + "".join(w[:1].upper() + w[1:] for w in words if w)


def role_labels(types, roles):
    labels = []
    for r in roles:
        zh = types.comment("aidtrail.v1.Role#" + r)
        labels.append(f"{zh} {r}" if zh else r)
    return "可用角色 Roles: " + "；".join(labels)


def error_ref(status):
    return {"$ref": f"#/components/responses/Error{status}"}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def command_request_schema(writer, types, kind, label):
    """aidtrail.v1.Command as one route accepts it: the envelope and this
    route's payload only."""
    m = types.messages[COMMAND]
    oneof_members = {f.name for fs in protojson.real_oneofs(m).values() for f in fs}
    fields = [f for f in m.field
              if f.name not in COMMAND_FORBIDDEN and (f.name not in oneof_members or f.name == kind)]
    if not any(f.name == kind for f in fields):
        raise Undocumented(f"{COMMAND_PREFIX}{kind}: no field {kind} in {COMMAND}")
    schema = writer.message_schema(COMMAND, fields)
    by_name = {f.name: f for f in fields}
    description = (
        f"{label}：{COMMAND}，载荷放在 {by_name[kind].json_name} 下；操作人由令牌确定。\n\n"
        f"{COMMAND} with its payload under `{by_name[kind].json_name}`. The actor comes from "
        "the token and may not be sent; occurredAt defaults to now and correlationId to the "
        "X-Correlation-Id header. A retry with the same commandId returns the first result.")
    return {"type": "object", "description": description, "properties": schema["properties"],
            "required": [by_name[n].json_name for n in COMMAND_REQUIRED + [kind]],
            "additionalProperties": False}


def parameter_ref(name):
    return {"$ref": f"#/components/parameters/{name}"}


def build(routes, types):
    writer = protojson.SchemaWriter(types, PROTO_NAMES)
    error_schema = writer.ref(route_docs.ERROR)
    paths, used_params, seen = {}, set(), set()
    for route in routes:
        method, path, roles = route["method"], route["path"], route["roles"]
        key = (method, path)
        seen.add(key)
        op = {"tags": [], "summary": route["summary"], "operationId": operation_id(method, path)}
        params = [parameter_ref(p) for p in re.findall(r"{([^}]+)}", path)]
        if path.startswith(COMMAND_PREFIX) and method == "POST":
            kind = path[len(COMMAND_PREFIX):]
            name = f"{COMMAND}.{kind}"
            writer.schemas[name] = command_request_schema(writer, types, kind, route["summary"])
            op["tags"] = ["commands"]
            params.append(parameter_ref("X-Correlation-Id"))
            op["requestBody"] = {"required": True,
                                 "content": json_content({"$ref": protojson.REF + name})}
            responses = {str(s): {"description": d, "content": json_content(writer.ref(m))}
                         for s, (d, m) in route_docs.COMMAND_RESPONSES.items()}
            errors = route_docs.COMMAND_ERRORS
        elif key in route_docs.ROUTES:
            doc = route_docs.ROUTES[key]
            op["tags"] = [doc["tag"]]
            params += [parameter_ref(q) for q in doc.get("query", [])]
            content = doc.get("content") or json_content(writer.ref(doc["ok"]))
            content = {**content, **doc.get("extra_content", {})}  # other formats of the same answer
            responses = {"200": {"description": "成功 OK", "content": content}}
            for s, (d, m) in doc.get("answers", {}).items():
                responses[str(s)] = {"description": d, "content": json_content(writer.ref(m))}
            errors = sorted(set(doc.get("errors", [])) |
                            (set(route_docs.PROTECTED_ERRORS) if roles else set()))
        else:
            raise Undocumented(
                f"route {method} {path} is not described in ops/openapi/route_docs.py (ROUTES): "
                "add its tag, query parameters and answers, then run ops/openapi/generate.sh")
        for e in errors:
            responses.setdefault(str(e), error_ref(e))
        for p in params:
            used_params.add(p["$ref"].rsplit("/", 1)[1])
        if roles:
            op["description"] = role_labels(types, roles)
        if params:
            op["parameters"] = params
        if "requestBody" in op:
            op["requestBody"] = op.pop("requestBody")  # after the parameters
        op["responses"] = dict(sorted(responses.items()))
        op["security"] = [{"bearer": []}] if roles else []
        op["x-aidtrail-roles"] = list(roles)
        paths.setdefault(path, {})[method.lower()] = op
    stale = sorted(set(route_docs.ROUTES) - seen)
    if stale:
        raise Undocumented(f"ops/openapi/route_docs.py describes routes the server does not "
                           f"have: {stale}")

    parameters = {}
    for name in sorted(used_params):
        if name == "X-Correlation-Id":
            parameters[name] = {
                "name": name, "in": "header", "required": False, "schema": {"type": "string"},
                "description": "关联编号，未在请求体给出 correlationId 时使用 "
                               "Correlation id, used when the body has no correlationId"}
            continue
        if name not in route_docs.PARAMETERS:
            raise Undocumented(f"parameter {name} is not described in ops/openapi/route_docs.py "
                               "(PARAMETERS)")
        where, schema, description = route_docs.PARAMETERS[name]
        parameters[name] = {"name": name, "in": where,
                            "required": where == "path" or name in route_docs.REQUIRED,
                            "description": description, "schema": schema}

    responses = {f"Error{s}": {"description": d, "content": json_content(error_schema)}
                 for s, d in sorted(route_docs.ERROR_DESCRIPTIONS.items())}
    return {
        "openapi": "3.0.3",
        "info": {"title": "aidtrail 法律援助监管接口 Legal-aid supervision API",
                 "version": project_version(), "description": INFO_DESCRIPTION},
        "tags": route_docs.TAGS,
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "令牌由 aidtrail token 签发 A token issued by `aidtrail token`"}},
            "parameters": parameters,
            "responses": responses,
            "schemas": writer.flush(),
        },
    }


def render(document):
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--routes", required=True, help="output of `aidtrail routes`")
    ap.add_argument("--descriptors", required=True,
                    help="protoc --include_imports --include_source_info descriptor set")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    routes = json.loads(pathlib.Path(args.routes).read_text(encoding="utf-8"))
    types = protojson.Types(pathlib.Path(args.descriptors).read_bytes())
    try:
        document = build(routes, types)
    except Undocumented as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 2
    pathlib.Path(args.out).write_text(render(document), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
