#include "ingest/synthetic_person.h"

#include <array>
#include <cstdio>

namespace aidtrail::ingest {
namespace {

template <typename T, size_t N>
const T& Pick(std::mt19937& rng, const std::array<T, N>& from) {
  return from[rng() % N];
}

// Common surnames of the Pearl River Delta first, so they come up more often.
const std::array<const char*, 40> kSurnames = {
    "陈", "李", "黄", "梁", "张", "林", "吴",   "何",   "刘", "冯", "谭", "余", "区", "甄",
    "关", "麦", "邓", "周", "罗", "郑", "谢",   "叶",   "钟", "曾", "杨", "王", "赵", "许",
    "胡", "朱", "潘", "卢", "蔡", "苏", "司徒", "欧阳", "陈", "李", "黄", "梁"};
const std::array<const char*, 32> kGivenMale = {
    "伟", "强", "明", "志", "国", "建", "俊", "杰", "浩", "文", "华", "荣", "辉", "家", "健", "锦",
    "永", "德", "伟", "海", "鹏", "宇", "启", "耀", "嘉", "振", "智", "少", "锋", "祖", "炳", "广"};
const std::array<const char*, 32> kGivenFemale = {
    "丽", "芳", "娟", "敏", "静", "燕", "艳", "玲", "婷", "慧", "秀", "英", "红", "霞", "美", "凤",
    "雪", "洁", "琳", "淑", "嘉", "欣", "咏", "诗", "颖", "思", "彩", "月", "桂", "翠", "少", "晓"};
// Jiangmen's county-level codes: people of the district were born all over the city.
const std::array<const char*, 7> kBirthRegions = {"440703", "440703", "440703", "440704",
                                                  "440705", "440781", "440783"};
const std::array<const char*, 16> kStreets = {
    "建设路", "白沙大道", "迎宾大道", "胜利路", "港口路", "丰乐路", "华园路", "五邑路",
    "农林路", "育德街",   "跃进路",   "堤东路", "北街",   "江华路", "长堤路", "篁庄大道"};
const std::array<const char*, 20> kMobilePrefixes = {
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157",
    "158", "159", "182", "188", "130", "132", "186", "133", "189", "199"};

int Digit(std::mt19937& rng) { return int(rng() % 10); }

std::string Name(std::mt19937& rng, bool female) {
  std::string name = Pick(rng, kSurnames);
  const auto& given = female ? kGivenFemale : kGivenMale;
  name += Pick(rng, given);
  if (rng() % 10 < 7) name += Pick(rng, given);
  return name;
}

std::string IdNumber(std::mt19937& rng, const PersonTraits& t) {
  // Born so that the person is `age` on `on`: a birthday not after `on`'s
  // month and day in the year `age` years back, else the year before.
  const std::string on = t.on.ToString();  // YYYY-MM-DD
  const int year = std::stoi(on.substr(0, 4)), month = std::stoi(on.substr(5, 2)),
            day = std::stoi(on.substr(8, 2));
  const int bm = 1 + int(rng() % 12), bd = 1 + int(rng() % 28);
  const int by = year - t.age - ((bm > month || (bm == month && bd > day)) ? 1 : 0);
  char first17[18];
  const int sequence = Digit(rng) * 10 + Digit(rng);
  int sex = Digit(rng);
  if ((sex % 2 == 0) != t.female) sex = (sex + 1) % 10;  // odd for men, even for women
  std::snprintf(first17, sizeof first17, "%s%04d%02d%02d%02d%d", Pick(rng, kBirthRegions), by, bm,
                bd, sequence, sex);
  return std::string(first17, 17) + IdCheckCharacter(std::string_view(first17, 17));
}

std::string Mobile(std::mt19937& rng) {
  std::string phone = Pick(rng, kMobilePrefixes);
  for (int i = 0; i < 8; ++i) phone += char('0' + Digit(rng));
  return phone;
}

std::string Address(std::mt19937& rng) {
  // One draw per statement: the order of operands of + is unspecified, and
  // the same seed must give the same address with any compiler.
  std::string a = std::string("江门市蓬江区") + Pick(rng, kStreets);
  a += std::to_string(1 + rng() % 180) + "号";
  if (rng() % 3 != 0) {
    a += std::to_string(1 + rng() % 12) + "栋";
    a += std::to_string(1 + rng() % 9) + "0";
    a += std::to_string(1 + rng() % 6) + "房";
  }
  return a;
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

v1::PersonalData SyntheticPerson(std::mt19937& rng, const PersonTraits& traits) {
  v1::PersonalData d;
  d.set_name(Name(rng, traits.female));
  d.set_id_number(IdNumber(rng, traits));
  d.set_phone(Mobile(rng));
  d.set_address(Address(rng));
  return d;
}

}  // namespace aidtrail::ingest
