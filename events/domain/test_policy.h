// Test helper: builds a PolicyState from policy events written inline.
#pragma once

#include <string>
#include <vector>

#include "events/domain/policy.h"

namespace aidtrail::domain::testing {

inline v1::Event PolicyEvent(uint64_t version, v1::EventPayload payload) {
  v1::Event e;
  e.set_stream_id(kPolicyStream);
  e.set_stream_version(version);
  *e.mutable_payload() = std::move(payload);
  return e;
}

// 2024 national holidays as published (Spring Festival 10–17 Feb with
// make-up working days 4 and 18 Feb; National Day 1–7 Oct with 29 Sep and
// 12 Oct; and the others).
inline PolicyState Policy2024(v1::DayCounting counting = v1::DAY_COUNTING_CALENDAR) {
  PolicyState p;
  v1::EventPayload cal;
  auto* c = cal.mutable_holiday_calendar_set();
  c->set_year(2024);
  for (const char* d : {"2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
                        "2024-02-15", "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06",
                        "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-10",
                        "2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03",
                        "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07"})
    c->add_holidays(d);
  for (const char* d : {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
                        "2024-09-29", "2024-10-12"})
    c->add_make_up_workdays(d);
  p.Apply(PolicyEvent(1, cal));
  v1::EventPayload rules;
  *rules.mutable_deadline_rules_set() = StatutoryDeadlineRules();
  rules.mutable_deadline_rules_set()->set_counting(counting);
  p.Apply(PolicyEvent(2, rules));
  return p;
}

inline CivilDate D(const char* iso) { return CivilDate::Parse(iso).value(); }

}  // namespace aidtrail::domain::testing
