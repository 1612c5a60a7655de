"""JSON Schema (OpenAPI 3.0 dialect) for protobuf messages, following the
canonical proto3 JSON mapping the server prints with: lowerCamelCase names,
64-bit integers as strings, enums by name, Timestamp as RFC 3339, bytes as
base64. Reads raw FileDescriptorProtos, so it does not depend on the
descriptor API of whichever protobuf release is installed.
"""

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto
REF = "#/components/schemas/"

_INT64 = {"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"}
_UINT64 = {"type": "string", "format": "uint64", "pattern": "^[0-9]+$"}
_INT32 = {"type": "integer", "format": "int32"}
_UINT32 = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295}


def _floating(fmt):
    # Non-finite values are printed as strings.
    return {"oneOf": [{"type": "number", "format": fmt},
                      {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]}]}


SCALARS = {
    F.TYPE_DOUBLE: _floating("double"),
    F.TYPE_FLOAT: _floating("float"),
    F.TYPE_INT64: _INT64, F.TYPE_SINT64: _INT64, F.TYPE_SFIXED64: _INT64,
    F.TYPE_UINT64: _UINT64, F.TYPE_FIXED64: _UINT64,
    F.TYPE_INT32: _INT32, F.TYPE_SINT32: _INT32, F.TYPE_SFIXED32: _INT32,
    F.TYPE_UINT32: _UINT32, F.TYPE_FIXED32: _UINT32,
    F.TYPE_BOOL: {"type": "boolean"},
    F.TYPE_STRING: {"type": "string"},
    F.TYPE_BYTES: {"type": "string", "format": "byte"},
}


def _wrapper(scalar):
    return dict(SCALARS[scalar], nullable=True)


# Well-known types have a JSON form of their own and are written inline.
WELL_KNOWN = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?s$"},
    "google.protobuf.FieldMask": {"type": "string"},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {"nullable": True, "description": "any JSON value"},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.NullValue": {"nullable": True, "enum": [None]},
    "google.protobuf.Empty": {"type": "object", "additionalProperties": False},
    "google.protobuf.Any": {
        "type": "object", "required": ["@type"], "additionalProperties": True,
        "properties": {"@type": {"type": "string"}}},
    "google.protobuf.DoubleValue": _wrapper(F.TYPE_DOUBLE),
    "google.protobuf.FloatValue": _wrapper(F.TYPE_FLOAT),
    "google.protobuf.Int64Value": _wrapper(F.TYPE_INT64),
    "google.protobuf.UInt64Value": _wrapper(F.TYPE_UINT64),
    "google.protobuf.Int32Value": _wrapper(F.TYPE_INT32),
    "google.protobuf.UInt32Value": _wrapper(F.TYPE_UINT32),
    "google.protobuf.BoolValue": _wrapper(F.TYPE_BOOL),
    "google.protobuf.StringValue": _wrapper(F.TYPE_STRING),
    "google.protobuf.BytesValue": _wrapper(F.TYPE_BYTES),
}


def _comment(location):
    if location is None:
        return ""
    parts = [location.leading_comments.strip(), location.trailing_comments.strip()]
    return "\n".join(" ".join(line.strip() for line in p.splitlines()) for p in parts if p)


class Types:
    """Every message and enum of a FileDescriptorSet, by full name, with the
    comments written beside them in the .proto files."""

    def __init__(self, descriptor_set_bytes):
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(descriptor_set_bytes)
        self.messages, self.enums, self.comments = {}, {}, {}
        for f in fds.file:
            locations = {tuple(loc.path): loc for loc in f.source_code_info.location}
            prefix = f.package + "." if f.package else ""
            for i, m in enumerate(f.message_type):
                self._add_message(prefix + m.name, m, (4, i), locations)
            for i, e in enumerate(f.enum_type):
                self._add_enum(prefix + e.name, e, (5, i), locations)

    def _add_message(self, name, m, path, locations):
        self.messages[name] = m
        self.comments[name] = _comment(locations.get(path))
        for j, field in enumerate(m.field):
            self.comments[name + "#" + field.name] = _comment(locations.get(path + (2, j)))
        for k, nested in enumerate(m.nested_type):
            self._add_message(name + "." + nested.name, nested, path + (3, k), locations)
        for k, e in enumerate(m.enum_type):
            self._add_enum(name + "." + e.name, e, path + (4, k), locations)

    def _add_enum(self, name, e, path, locations):
        self.enums[name] = e
        self.comments[name] = _comment(locations.get(path))
        for j, v in enumerate(e.value):
            self.comments[name + "#" + v.name] = _comment(locations.get(path + (2, j)))

    def comment(self, key):
        return self.comments.get(key, "")


def real_oneofs(m):
    """oneof name -> member fields; proto3 `optional` fields (synthetic
    oneofs) are plain fields with presence, not choices."""
    out = {}
    for field in m.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            out.setdefault(m.oneof_decl[field.oneof_index].name, []).append(field)
    return out


class SchemaWriter:
    """Writes component schemas for the messages and enums reachable from
    the ones asked for. `proto_names` lists messages printed with their
    field names as written in the .proto rather than lowerCamelCase."""

    def __init__(self, types, proto_names=()):
        self.types = types
        self.proto_names = set(proto_names)
        self.schemas = {}
        self._pending = []

    def ref(self, full_name):
        """A $ref to the component for `full_name` (queued for writing), or
        the inline schema of a well-known type."""
        if full_name in WELL_KNOWN:
            return dict(WELL_KNOWN[full_name])
        if full_name not in self.types.messages and full_name not in self.types.enums:
            raise KeyError("no message or enum " + full_name + " in the descriptors")
        if full_name not in self.schemas:
            self.schemas[full_name] = None
            self._pending.append(full_name)
        return {"$ref": REF + full_name}

    def json_name(self, message_name, field):
        return field.name if message_name in self.proto_names else field.json_name

    def field_schema(self, message_name, field):
        schema = self._single(field)
        if field.label == F.LABEL_REPEATED:
            entry = self._map_entry(field)
            if entry is not None:
                # Map keys are always JSON strings; values keep their mapping.
                schema = {"type": "object", "additionalProperties": self._single(entry.field[1])}
            else:
                schema = {"type": "array", "items": schema}
        description = self.types.comment(message_name + "#" + field.name)
        if description:
            if "$ref" in schema:  # OpenAPI 3.0 ignores siblings of $ref
                schema = {"allOf": [schema]}
            schema = dict(schema, description=description)
        return schema

    def _map_entry(self, field):
        if field.type != F.TYPE_MESSAGE:
            return None
        m = self.types.messages.get(field.type_name.lstrip("."))
        return m if m is not None and m.options.map_entry else None

    def _single(self, field):
        if field.type in (F.TYPE_MESSAGE, F.TYPE_ENUM, F.TYPE_GROUP):
            return self.ref(field.type_name.lstrip("."))
        return dict(SCALARS[field.type])

    def message_schema(self, name, fields=None):
        m = self.types.messages[name]
        fields = list(m.field) if fields is None else fields
        schema = {"type": "object"}
        description = self.types.comment(name)
        oneofs = real_oneofs(m)
        choice_names = {f.name for members in oneofs.values() for f in members}
        notes = []
        for oneof, members in oneofs.items():
            present = [self.json_name(name, f) for f in members if f in fields]
            if len(present) > 1:
                notes.append("At most one of " + ", ".join(present) + " (oneof " + oneof + ").")
        description = "\n\n".join(p for p in [description] + notes if p)
        if description:
            schema["description"] = description
        schema["properties"] = {self.json_name(name, f): self.field_schema(name, f) for f in fields}
        if any(f.name in choice_names for f in fields):
            schema["x-aidtrail-oneof"] = {
                oneof: [self.json_name(name, f) for f in members if f in fields]
                for oneof, members in oneofs.items()}
        # The server parses strictly (unknown fields are refused) and prints
        # only the fields of the schema.
        schema["additionalProperties"] = False
        return schema

    def enum_schema(self, name):
        e = self.types.enums[name]
        lines = [self.types.comment(name), ""] if self.types.comment(name) else []
        for v in e.value:
            note = self.types.comment(name + "#" + v.name)
            lines.append("- " + v.name + (": " + note if note else ""))
        return {"type": "string", "description": "\n".join(lines),
                "enum": [v.name for v in e.value]}

    def flush(self):
        """Writes every queued schema (and what those refer to)."""
        while self._pending:
            name = self._pending.pop(0)
            if name in self.types.enums:
                self.schemas[name] = self.enum_schema(name)
            else:
                self.schemas[name] = self.message_schema(name)
        return {k: self.schemas[k] for k in sorted(self.schemas)}
