#include "events/store/kafka_topic.h"

#include <thread>
#include <vector>

#include "events/store/event_log.h"

namespace aidtrail::store::kafka {
namespace {

// A record batch holding one commit: the commit, its key and the batch and
// record headers, with a wide margin.
constexpr size_t kMaxRecordBatchBytes = 2 * kMaxCommitBytes;

std::string Duration(const std::string& ms, bool zh) {
  int64_t v = 0;
  try {
    v = std::stoll(ms);
  } catch (...) {
    return ms + " ms";
  }
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  if (v > 0 && v % kDay == 0) return std::to_string(v / kDay) + (zh ? " 天" : " days");
  return ms + (zh ? " 毫秒" : " ms");
}

struct Violation {
  std::string setting;
  std::string en;
  std::string zh;
};

}  // namespace

Settings PermanentTopicConfig() {
  return {{"retention.ms", "-1"},
          {"retention.bytes", "-1"},
          {"cleanup.policy", "delete"},
          {"max.message.bytes", std::to_string(kMaxRecordBatchBytes)}};
}

Status CheckTopicConfig(const std::string& topic, const std::map<std::string, std::string>& config) {
  std::vector<Violation> found;
  auto value = [&](const std::string& name) -> const std::string* {
    auto it = config.find(name);
    if (it != config.end()) return &it->second;
    found.push_back({name, name + " could not be read, so the topic cannot be shown to keep every record",
                     "无法读取 " + name + "，不能确认该主题会永久保存全部记录"});
    return nullptr;
  };
  if (const std::string* v = value("retention.ms"); v != nullptr && *v != "-1")
    found.push_back({"retention.ms",
                     "retention.ms=" + *v + " deletes events older than " + Duration(*v, false) + "; set retention.ms=-1",
                     "retention.ms=" + *v + "，超过 " + Duration(*v, true) + " 的事件会被删除；请设为 retention.ms=-1"});
  if (const std::string* v = value("retention.bytes"); v != nullptr && *v != "-1")
    found.push_back({"retention.bytes",
                     "retention.bytes=" + *v + " deletes the oldest events once a partition holds " + *v +
                         " bytes; set retention.bytes=-1",
                     "retention.bytes=" + *v + "，分区数据超过 " + *v + " 字节后最早的事件会被删除；请设为 retention.bytes=-1"});
  if (const std::string* v = value("cleanup.policy"); v != nullptr && v->find("compact") != std::string::npos)
    found.push_back({"cleanup.policy",
                     "cleanup.policy=" + *v + " compacts the topic, keeping only the last record of each stream; set "
                     "cleanup.policy=delete",
                     "cleanup.policy=" + *v + "，压缩（compact）后每个流只保留最后一条记录，历史事件会丢失；请设为 "
                     "cleanup.policy=delete"});
  if (found.empty()) return Status::Ok();
  std::string en = "topic " + topic + " would not keep every event, so the event log refuses to use it: ";
  std::string zh = "Kafka 主题 " + topic + " 不能永久保存全部事件，事件日志拒绝使用该主题：";
  for (size_t i = 0; i < found.size(); ++i) {
    en += (i ? "; " : "") + found[i].en;
    zh += (i ? "；" : "") + found[i].zh;
  }
  zh += "。修改主题配置后重新启动。";
  return MakeError(ErrorKind::kInvalidArgument, "kafka.topic_config", en, zh, found.front().setting);
}

Result<int32_t> EnsureTopic(rd_kafka_t* admin, const TopicSpec& spec, std::chrono::milliseconds timeout) {
  auto md = DescribeTopic(admin, spec.topic, timeout);
  if (!md.ok()) return md.error();
  if (!md->exists) {
    if (!spec.create)
      return MakeError(ErrorKind::kNotFound, "kafka.no_topic", "topic " + spec.topic + " does not exist",
                       "Kafka 主题 " + spec.topic + " 不存在，请先创建（保留时间 retention.ms=-1）");
    Status created =
        CreateTopic(admin, spec.topic, spec.partitions, spec.replication_factor, PermanentTopicConfig(), timeout);
    // Another process may have created it in the meantime; its settings are
    // checked below like any existing topic's.
    if (!created.ok() && created.error().code != "kafka.topic_exists") return created.error();
  }
  // A new topic's partitions get their leaders, and the broker we ask
  // learns about the topic, shortly after creation; until then requests
  // about it fail.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    md = DescribeTopic(admin, spec.topic, timeout);
    if (!md.ok()) return md.error();
    if (md->exists && md->ready) break;
    if (std::chrono::steady_clock::now() >= deadline)
      return MakeError(ErrorKind::kUnavailable, "kafka.unavailable",
                       "topic " + spec.topic + " has partitions without a leader",
                       "Kafka 主题 " + spec.topic + " 有分区没有可用的主副本（leader），请检查 Kafka 集群");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto config = Retrying([&] { return DescribeTopicConfig(admin, spec.topic, timeout); }, timeout);
  if (!config.ok()) return config.error();
  if (Status ok = CheckTopicConfig(spec.topic, *config); !ok.ok()) return ok.error();
  return md->partitions;
}

}  // namespace aidtrail::store::kafka
