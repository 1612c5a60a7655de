"""What the route table cannot say about a route: its tag, its query
parameters and the message of each answer. Methods, paths, roles and
summaries come from `aidtrail routes`; a route that is missing here stops
the generator, so a new route cannot go undocumented.

Query parameters are read in api/view_routes.cc (ctx.Query, IntParam,
FilterOf, ListCases, AsOf, ProofParams); keep this table beside it.
"""

ERROR = "aidtrail.api.ErrorBody"

TAGS = [
    {"name": "commands", "description": "指令：写入日志的唯一途径 Commands: the only way to write to the log"},
    {"name": "cases", "description": "案件与记录流 Cases and streams"},
    {"name": "supervision", "description": "监管待办 Supervision"},
    {"name": "money", "description": "经费、支付、公平性与统计 Money, payments, fairness and counters"},
    {"name": "audit", "description": "日志检查点与证明 Log checkpoints and proofs"},
    {"name": "ops", "description": "运维 Operations"},
    {"name": "notice", "description": "经费使用公示（公开，无需令牌） The public expenditure notice (no token)"},
]

_DATE = {"type": "string", "format": "date", "example": "2025-06-30"}

# Every parameter, by name. Path parameters are named by the templates.
PARAMETERS = {
    # path
    "case_id": ("path", {"type": "string", "example": "JM-2025-1"},
                "案件编号（记录流 case/<case_id>） The case id: the stream is case/<case_id>"),
    "subsidy_id": ("path", {"type": "string"}, "补贴编号 The subsidy id"),
    "version": ("path", {"type": "integer", "format": "int64", "minimum": 1},
                "文书的记录序号（见文书列表） The document's stream version, from the list"),
    "kind": ("path", {"type": "string", "example": "lawyer"},
             "记录流类型：case、lawyer、firm、service、budget The stream kind"),
    "id": ("path", {"type": "string"}, "记录流编号 The stream id within its kind"),
    "year": ("path", {"type": "integer", "minimum": 2000, "maximum": 2100, "example": 2025},
             "财政年度 The fiscal year"),
    # query: case filters
    "stage": ("query", {"type": "string", "example": "in_handling"}, "案件阶段 Stage, e.g. in_handling"),
    "lawyer": ("query", {"type": "string"},
               "承办律师编号（律师本人调用时总是本人） Lawyer id; a lawyer always sees only their own"),
    "agency": ("query", {"type": "string"}, "受理机构 Receiving agency"),
    "received_from": ("query", _DATE, "受理日期起（含） Received on or after, YYYY-MM-DD"),
    "received_to": ("query", _DATE, "受理日期止（含） Received on or before, YYYY-MM-DD"),
    "overdue": ("query", {"type": "string", "example": "any"},
                "已超期的法定时限类型，any 为任一 A missed deadline kind, e.g. review; any for any"),
    "missing_step": ("query", {"type": "string", "example": "any"},
                     "缺失或迟延的闭环环节，any 为任一 A missing or late loop step, e.g. follow_up; any for any"),
    "late_entry": ("query", {"type": "boolean"},
                   "仅列出含补录的案件 Only cases with a late entry (补录)"),
    "corrected": ("query", {"type": "boolean"},
                  "仅列出含更正的案件 Only cases with a correction (更正)"),
    "uncalendared": ("query", {"type": "boolean"},
                     "仅列出有期限涉及未载入节假日安排年份的案件 Only cases with an open deadline "
                     "counted in a year whose holiday calendar is not loaded"),
    "page": ("query", {"type": "string"}, "上一页返回的 nextPage The nextPage of the previous answer"),
    "limit": ("query", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
              "每页条数 Cases per page"),
    "as_of": ("query", _DATE,
              "按该日结束时评估时限与闭环（默认：现在） Evaluate deadlines at the end of this day (default: now)"),
    # query: supervision queue
    "overdue_page": ("query", {"type": "string"}, "超期列表的下一页 Next page of the overdue list"),
    "missing_page": ("query", {"type": "string"},
                     "缺失环节列表的下一页 Next page of the missing-step list"),
    "late_page": ("query", {"type": "string"}, "补录列表的下一页 Next page of the late-entry list"),
    "corrected_page": ("query", {"type": "string"}, "更正列表的下一页 Next page of the corrected list"),
    "uncalendared_page": ("query", {"type": "string"},
                          "未载入节假日安排列表的下一页 Next page of the uncalendared list"),
    # query: the public notice
    "quarter": ("query", {"type": "integer", "minimum": 1, "maximum": 4},
                "季度（不填为全年） Quarter (absent: the whole year)"),
    "format": ("query", {"type": "string", "enum": ["json", "csv", "xlsx", "html"], "default": "json"},
               "格式 Format"),
    # query: personal data
    "purpose": ("query", {"type": "string", "example": "回访受援人"},
                "查阅用途（必填，将被记录） Why you read it (required; recorded)"),
    "fields": ("query", {"type": "string", "example": "name,phone"},
               "要查阅的字段：name、id_number、phone、address（默认全部） Fields to read (default: all)"),
    # query: proofs
    "partition": ("query", {"type": "integer", "minimum": 0}, "日志分区 Log partition"),
    "offset": ("query", {"type": "integer", "format": "int64", "minimum": 0},
               "记录在分区中的位置 The record's offset in the partition"),
    "old_size": ("query", {"type": "integer", "format": "int64", "minimum": 1},
                 "较早的树大小 The earlier tree size"),
    "size": ("query", {"type": "integer", "format": "int64", "minimum": 1},
             "树大小（默认：当前） Tree size (default: the current size)"),
}

# Required query parameters (path parameters always are).
REQUIRED = {"partition", "offset", "old_size", "purpose"}

# Errors every route with roles can answer: no or bad token, wrong role,
# and the log or views failing underneath.
PROTECTED_ERRORS = [401, 403, 500, 503]

# Command routes (POST /v1/commands/<kind>) are described from the
# catalogue and aidtrail.v1.Command; their answers (command_routes.cc):
COMMAND_RESPONSES = {
    201: ("已记录 Recorded", "aidtrail.api.CommandResponse"),
    200: ("重试：此前已记录，返回首次结果 A retry: the first execution's result",
          "aidtrail.api.CommandResponse"),
}
COMMAND_ERRORS = [400, 401, 403, 404, 409, 413, 422, 500, 503]

# (method, path) -> tag, query parameters, answers (status -> message), and
# the extra error statuses the handler itself can give.
ROUTES = {
    ("GET", "/v1/cases"): dict(
        tag="cases",
        query=["stage", "lawyer", "agency", "received_from", "received_to", "overdue",
               "missing_step", "late_entry", "corrected", "uncalendared", "page", "limit", "as_of"],
        ok="aidtrail.api.CaseList", errors=[400]),
    ("GET", "/v1/cases/{case_id}"): dict(
        tag="cases", query=["as_of"], ok="aidtrail.v1.CaseSummary", errors=[400, 404]),
    ("GET", "/v1/cases/{case_id}/timeline"): dict(
        tag="cases", ok="aidtrail.api.Timeline", errors=[404]),
    ("GET", "/v1/cases/{case_id}/subsidies/{subsidy_id}/trace"): dict(
        tag="money", ok="aidtrail.v1.PaymentTrace", errors=[404]),
    ("GET", "/v1/streams/{kind}/{id}/timeline"): dict(
        tag="cases", ok="aidtrail.api.Timeline", errors=[404]),
    ("GET", "/v1/cases/{case_id}/personal"): dict(
        tag="cases", query=["purpose", "fields"], ok="aidtrail.api.PersonalDataRead", errors=[400, 404, 422, 503]),
    ("GET", "/v1/cases/{case_id}/documents"): dict(
        tag="cases", ok="aidtrail.api.DocumentList", errors=[404]),
    ("GET", "/v1/cases/{case_id}/documents/{version}"): dict(
        tag="cases", query=["purpose"], errors=[400, 404, 503],
        content={"text/html": {"schema": {"type": "string"}}}),
    ("GET", "/v1/supervision/queue"): dict(
        tag="supervision",
        query=["as_of", "overdue", "missing_step", "overdue_page", "missing_page", "late_page",
               "corrected_page", "uncalendared_page", "limit"],
        ok="aidtrail.api.SupervisionQueue", errors=[400]),
    ("GET", "/v1/home-visits/open"): dict(
        tag="supervision", query=["as_of"], ok="aidtrail.api.SupervisionQueue", errors=[400]),
    ("GET", "/v1/ledger/{year}"): dict(tag="money", ok="aidtrail.api.Ledger", errors=[400]),
    ("GET", "/v1/payments/{year}"): dict(tag="money", ok="aidtrail.api.Payments", errors=[400]),
    ("GET", "/v1/service-payments/{year}"): dict(
        tag="money", ok="aidtrail.api.ServicePayments", errors=[400]),
    ("GET", "/v1/fairness/{year}"): dict(tag="money", ok="aidtrail.api.Fairness", errors=[400]),
    ("GET", "/v1/green-channel/{year}"): dict(
        tag="supervision", ok="aidtrail.api.GreenChannelReport", errors=[400]),
    ("GET", "/v1/notice-counters/{year}"): dict(tag="money", ok="aidtrail.api.Counts", errors=[400]),
    ("GET", "/v1/duty/{year}"): dict(tag="money", ok="aidtrail.api.Counts", errors=[400]),
    ("GET", "/v1/audit/payments/{case_id}/{subsidy_id}/inclusion"): dict(
        tag="audit", query=["size"], ok="aidtrail.api.Proof", errors=[400, 404]),
    ("GET", "/v1/audit/checkpoint"): dict(tag="audit", ok="aidtrail.api.Checkpoint"),
    ("GET", "/v1/audit/inclusion"): dict(
        tag="audit", query=["partition", "offset", "size"], ok="aidtrail.api.Proof",
        errors=[400, 404]),
    ("GET", "/v1/audit/consistency"): dict(
        tag="audit", query=["partition", "old_size", "size"], ok="aidtrail.api.Proof",
        errors=[400]),
    ("GET", "/healthz"): dict(tag="ops", ok="aidtrail.api.Health"),
    # Not ready answers 503 with the same Health body, not an error body.
    ("GET", "/readyz"): dict(
        tag="ops", ok="aidtrail.api.Health",
        answers={503: ("未就绪：视图追赶中或日志不可用 Not ready: catching up or log unavailable",
                       "aidtrail.api.Health")}),
    ("GET", "/notice/{year}"): dict(
        tag="notice", query=["quarter"], errors=[400],
        content={"text/html": {"schema": {"type": "string"}}}),
    ("GET", "/v1/public/notices/{year}"): dict(
        tag="notice", query=["quarter", "format"], errors=[400],
        ok="aidtrail.v1.PublicNotice",
        extra_content={"text/csv": {"schema": {"type": "string"}},
                 "text/html": {"schema": {"type": "string"}},
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                     {"schema": {"type": "string", "format": "binary"}}}),
    ("GET", "/v1/public/operator-key"): dict(tag="notice", ok="aidtrail.api.OperatorKeyInfo"),
    ("GET", "/metrics"): dict(
        tag="ops", content={"text/plain": {"schema": {"type": "string"}}}),
    ("GET", "/openapi.json"): dict(
        tag="ops", content={"application/json": {"schema": {"type": "object"}}}),
}

ERROR_DESCRIPTIONS = {
    400: "请求有误（参数、JSON、字段） Bad request: parameter, JSON or field",
    401: "缺少令牌、令牌无效或已过期 Missing, unknown or expired token",
    403: "角色无权使用此接口 The token's role may not use this route",
    404: "没有该对象 Not found",
    405: "此地址不支持该请求方法（任何接口均可能） Method not allowed on this path (any route)",
    409: "版本冲突或重复 Conflict: expected version or duplicate",
    413: "请求体过大 Body too large",
    422: "不符合业务规则 Refused by the rules",
    500: "日志或视图损坏 Corruption in the log or views",
    503: "日志暂不可用，请稍后重试（见 Retry-After） Log unavailable; retry later",
}
