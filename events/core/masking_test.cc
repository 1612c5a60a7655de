#include "events/core/masking.h"

#include <gtest/gtest.h>

namespace aidtrail {
namespace {

struct Case {
  std::string (*mask)(std::string_view);
  std::string in, out;
  const char* why;
};

// One row per rule or edge case; the reason names what the row pins.
const Case kCases[] = {
    {MaskIdNumber, "440703199001011234", "4407**********1234", "keeps first and last four"},
    {MaskIdNumber, "44070319900101123X", "4407**********123X", "check digit X stays"},
    {MaskIdNumber, "123456789", "1234*6789", "one hidden character"},
    {MaskIdNumber, "12345678", "********", "4 + 4 would show all: mask all"},
    {MaskIdNumber, "1", "*", "short"},
    {MaskIdNumber, "", "", "empty stays empty"},
    {MaskPhone, "13812345678", "138****5678", "keeps first three and last four"},
    {MaskPhone, "0750-3212348", "075*****2348", "landline with area code"},
    {MaskPhone, "12345678", "123*5678", "one hidden character"},
    {MaskPhone, "1234567", "*******", "3 + 4 would show all: mask all"},
    {MaskPhone, "", "", "empty stays empty"},
    {MaskName, "张三丰", "张**", "one star per character, not per byte"},
    {MaskName, "欧阳娜娜", "欧***", "compound surname: first character only"},
    {MaskName, "李四", "李*", "two characters"},
    {MaskName, "王", "王", "a single character"},
    {MaskName, "Tom", "T**", "ASCII"},
    {MaskName, "𠀋一", "𠀋*", "a four-byte character stays whole"},
    {MaskName, "", "", "empty stays empty"},
    {MaskName, std::string("张") + "\xE4\xB8", "张**", "a cut-off character counts byte by byte"},
    {MaskName, "\xFF\xFE", "\xFF*", "malformed bytes do not fail"},
    {MaskAddress, "江门市蓬江区建设路12号3栋502房", "江门市蓬江区****", "keeps six characters"},
    {MaskAddress, "江门市", "江门市****", "short: the mask hides the length"},
    {MaskAddress, "", "", "empty stays empty"},
};

TEST(Masking, EveryRuleAndEdgeCase) {
  for (const Case& c : kCases)
    EXPECT_EQ(c.mask(c.in), c.out) << c.why << " (input \"" << c.in << "\")";
}

TEST(Masking, PersonalDataMasksEveryField) {
  v1::PersonalData d;
  d.set_name("张三丰");
  d.set_id_number("440703199001011234");
  d.set_phone("13812345678");
  d.set_address("江门市蓬江区建设路12号");
  const v1::PersonalData m = MaskPersonalData(d);
  EXPECT_EQ(m.name(), "张**");
  EXPECT_EQ(m.id_number(), "4407**********1234");
  EXPECT_EQ(m.phone(), "138****5678");
  EXPECT_EQ(m.address(), "江门市蓬江区****");
  EXPECT_EQ(MaskPersonalData(v1::PersonalData()).ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace aidtrail
