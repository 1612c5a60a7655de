#include <google/protobuf/util/json_util.h>

#include "api/notice/render.h"

namespace aidtrail::api::notice {

Result<std::string> RenderJson(const v1::PublicNotice& n) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.always_print_primitive_fields = true;
  std::string out;
  if (auto s = google::protobuf::util::MessageToJsonString(n, &out, o); !s.ok())
    return MakeError(ErrorKind::kCorruption, "notice.json", std::string(s.message()),
                     "公示无法转换为JSON");
  return out;
}

Result<v1::PublicNotice> ParseNoticeJson(const std::string& json) {
  v1::PublicNotice n;
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = false;
  if (auto s = google::protobuf::util::JsonStringToMessage(json, &n, o); !s.ok())
    return MakeError(ErrorKind::kInvalidArgument, "notice.json",
                     "not a notice: " + std::string(s.message()),
                     "不是有效的公示文件（JSON）：" + std::string(s.message()));
  return n;
}

std::string PeriodZh(const v1::NoticePeriod& p) {
  return p.quarter() ? std::to_string(p.year()) + "年第" + std::to_string(p.quarter()) + "季度"
                     : std::to_string(p.year()) + "年度";
}

std::string VerifyHintZh(const v1::PublicNotice& n) {
  const std::string file =
      "notice-" + std::to_string(n.period().year()) +
      (n.period().quarter() ? "-q" + std::to_string(n.period().quarter()) : "") + ".json";
  return "本公示的全部数字由法律援助事件日志计算得出。任何人可取得本公示的JSON版本（" + file +
         "）及日志副本，运行 aidtrail verify-notice " + file +
         " --data <日志目录> --key operator.pub "
         "复核：程序按检查点重算各分区默克尔根和全部数字，并核验运营方签名。";
}

}  // namespace aidtrail::api::notice
