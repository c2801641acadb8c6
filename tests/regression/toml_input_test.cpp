// Regression tests of the TOML reader on bytes toml++ 3.3.0 mishandles (issue 15, item 2):
// a character of U+00A1..U+0499 (and three more ranges) where the parser asks whether a
// character is whitespace reached __builtin_unreachable(), and "[" followed by a newline
// failed an assertion without NDEBUG. This file is also built without NDEBUG
// (patchrace_toml_checked_tests), where toml++'s assertions would abort.
#include <gtest/gtest.h>

#include <string>

#include "io/toml.hpp"
#include "patchrace/error.hpp"

namespace patchrace::testing {
namespace {

/// The message parse_toml() gives for `text` as "t.toml", or "no error".
std::string toml_error_of(std::string_view text) {
  try {
    (void)detail::parse_toml(text, "t.toml");
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

/// The UTF-8 encoding of `c`.
std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

TEST(Regression, TomlNonAsciiAfterValueGivesLocatedError) {
  EXPECT_EQ(toml_error_of("name = \"x\"\xC3\xA9\n"),
            "t.toml:1:11: invalid TOML: error while parsing key-value pair: expected a comment or "
            "whitespace, saw '\xC3\xA9'");
  EXPECT_EQ(toml_error_of("hosts = 100\xD0\x96\n"),
            "t.toml:1:12: invalid TOML: error while parsing decimal integer: expected digit, saw "
            "'\xD0\x96'");
  EXPECT_EQ(toml_error_of("ok = true\xE3\x80\x81\n"),
            "t.toml:1:10: invalid TOML: error while parsing boolean: expected value-terminator, "
            "saw '\xE3\x80\x81'");
}

TEST(Regression, TomlOpenBracketNewlineGivesLocatedError) {
  EXPECT_EQ(toml_error_of("[\n"),
            "t.toml:1:2: invalid TOML: error while parsing key: expected bare key starting "
            "character or string delimiter, saw '\\n'");
  EXPECT_EQ(toml_error_of("a = 1\n[[\n"),
            "t.toml:2:3: invalid TOML: error while parsing key: expected bare key starting "
            "character or string delimiter, saw '\\n'");
}

TEST(Regression, TomlEveryCharacterAfterAValueGivesAnErrorOrAValue) {
  // Every Unicode scalar value in the three places toml++ classified it as whitespace
  // or not: after a value, after a line-ending backslash of a multi-line string, and
  // after a table header. Reaching toml++'s unreachable code would end the process.
  for (char32_t c = 1; c <= 0x10FFFF; c += c < 0x10000 ? 1 : 0x3F1) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string ch = utf8(c);
    for (const std::string& text :
         {"a = 1" + ch + "\n", "a = \"\"\"x\\\n" + ch + "\"\"\"\n", "[t]" + ch + "\n"}) {
      const std::string message = toml_error_of(text);
      EXPECT_TRUE(message == "no error" || message.rfind("t.toml:", 0) == 0)
          << "U+" << std::hex << static_cast<std::uint32_t>(c) << ": " << message;
    }
  }
}

TEST(Regression, TomlUnsafeCharactersInStringsAndKeysAreKeptExactly) {
  const toml::table root = detail::parse_toml(
      "name = \"caf\xC3\xA9 \xE3\x80\x81 \xEF\xBB\xBE\"\n"
      "text = \"\"\"a\\\n   \xD0\x96\"\"\"\n"
      "[\"\xCE\xBC\"]\nx = [\"\xC2\xA1\"]\n",
      "t.toml");
  EXPECT_EQ(root["name"].value<std::string>(), "caf\xC3\xA9 \xE3\x80\x81 \xEF\xBB\xBE");
  EXPECT_EQ(root["text"].value<std::string>(), "a\xD0\x96");
  ASSERT_NE(root.get("\xCE\xBC"), nullptr);
  EXPECT_EQ(root["\xCE\xBC"]["x"][0].value<std::string>(), "\xC2\xA1");
  // The restored key keeps its place in the file.
  EXPECT_EQ(root.get("\xCE\xBC")->source().begin.line, 4u);
}

TEST(Regression, TomlInvalidUtf8GivesLocatedError) {
  EXPECT_EQ(toml_error_of("a = 1\nname = \"\xFF\"\n"),
            "t.toml:2:9: invalid UTF-8: byte 0xff at byte offset 14");
  EXPECT_EQ(toml_error_of("name = \"\xC0\xAF\"\n"),  // overlong '/'
            "t.toml:1:9: invalid UTF-8: byte 0xc0 at byte offset 8");
  EXPECT_EQ(toml_error_of("name = \"\xED\xA0\x80\"\n"),  // a surrogate
            "t.toml:1:9: invalid UTF-8: byte 0xed at byte offset 8");
  EXPECT_EQ(toml_error_of("name = \"\xE3\x80"),  // cut short
            "t.toml:1:9: invalid UTF-8: byte 0xe3 at byte offset 8");
}

TEST(Regression, TomlStandInCharacterIsRefused) {
  EXPECT_EQ(toml_error_of("name = \"\xF3\xB0\x80\x80\"\n"),
            "t.toml:1:9: character U+F0000 (supplementary private use) is not allowed, expected "
            "none of U+F0000..U+F0BCA");
  EXPECT_EQ(toml_error_of("name = \"\xF3\xB0\xAF\x8B\"\n"), "no error");  // U+F0BCB
}

TEST(Regression, TomlNulByteGivesLocatedError) {
  EXPECT_EQ(toml_error_of(std::string_view("a = 1\0", 6)),
            "t.toml:1:6: invalid TOML: error while parsing decimal integer: expected digit, saw "
            "'\\u0000'");
}

/// The concatenation of `parts` (appended in turn: GCC 12 warns, wrongly, about
/// "literal" + std::string temporaries).
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::string text;
  ((text += parts), ...);
  return text;
}

/// `parts` copies of `part` joined by '.'.
std::string dotted(std::size_t parts, const std::string& part = "a") {
  std::string key = part;
  for (std::size_t i = 1; i < parts; ++i) key += "." + part;
  return key;
}

TEST(Regression, TomlDeeplyDottedKeyGivesLocatedErrorNotAStackOverflow) {
  // 200,000 parts overflowed toml++'s stack; 2 million (a 4 MiB file) took 660 MB.
  EXPECT_EQ(toml_error_of(concat("[", dotted(200000), "]\n")),
            "t.toml:1:66: invalid TOML: a dotted key or table name of more than 32 parts, "
            "expected at most 32");
  EXPECT_EQ(toml_error_of(concat("x = 1\n", dotted(100000), " = 1\n")),
            "t.toml:2:65: invalid TOML: a dotted key or table name of more than 32 parts, "
            "expected at most 32");
  EXPECT_EQ(toml_error_of(concat("x = { ", dotted(40, "\"q\""), " = 1 }\n")),
            "t.toml:1:135: invalid TOML: a dotted key or table name of more than 32 parts, "
            "expected at most 32");
  EXPECT_EQ(toml_error_of(concat("[[", dotted(20), " . ", dotted(20), "]]\n")),
            "t.toml:1:69: invalid TOML: a dotted key or table name of more than 32 parts, "
            "expected at most 32");
}

TEST(Regression, TomlKeysOfUpToTheLimitAndDotsInStringsAndCommentsAreParsed) {
  EXPECT_EQ(toml_error_of(concat("[", dotted(32), "]\n", dotted(32), " = 1\n")), "no error");
  // Inline tables nested 250 deep, each with a key of 32 parts: 8,000 levels, parsed.
  std::string nested = "x = ";
  for (int i = 0; i < 250; ++i) nested += concat("{", dotted(32), " = ");
  nested += concat("1", std::string(250, '}'), "\n");
  EXPECT_EQ(toml_error_of(nested), "no error");
  const std::string dots = dotted(100);
  EXPECT_EQ(toml_error_of("a = \"" + dots + "\"  # " + dots + "\n" +  //
                          "b = '" + dots + "'\n" +                      //
                          "c = \"\"\"\n\"\"" + dots + "\\\"\"\"\n" + dots + "\"\"\"\"\"\n" +
                          "d = '''\n''" + dots + "'''''\n" +
                          "e = [1.5, 2.5, 1979-05-27T07:32:00.999]\n"),
            "no error");
}

}  // namespace
}  // namespace patchrace::testing
