// The only way patchrace includes toml++ (3.3.0, header-only): every translation unit that
// uses toml++ includes this header instead of <toml++/toml.h>, so that all of them see the
// same macro settings (one definition of each inline toml++ function).
//
// toml++ 3.3.0 has undefined behaviour on some user input:
//  - a character in U+00A1..U+0499, U+2C5E..U+2FFF, U+3001..U+3057 or U+FB26..U+FEFE
//    wherever the parser asks whether a character is whitespace (for example right after
//    a value) reaches TOML_UNREACHABLE (__builtin_unreachable()) in
//    impl::is_non_ascii_horizontal_whitespace(), a noexcept function;
//  - a '[' not followed by a key (e.g. "[\n") fails TOML_ASSERT_ASSUME in
//    parser::parse_key(): an abort without NDEBUG, an assumption the compiler may exploit
//    with clang and NDEBUG (TOML_ASSUME is __builtin_assume there).
// So here, for every build type:
//  - TOML_ASSERT, TOML_ASSERT_ASSUME and TOML_ASSUME check and assume nothing (what
//    toml++ does with NDEBUG under GCC, which has no __builtin_assume); the parser then
//    reports such input with its own located syntax error;
//  - TOML_UNREACHABLE calls toml_unreachable(), which throws TomlInternalError instead
//    of being undefined;
//  - parse_toml() (toml_document.cpp) never hands toml++ a character of the ranges
//    above, so the noexcept function never reaches toml_unreachable().
// toml++'s preprocessor.h defines these macros unconditionally, so they are replaced
// after it is included and before the rest of toml++ is. For the settings to reach the
// parser, toml++ is compiled here from its headers (TOML_HEADER_ONLY): the build does not
// link Debian's libtomlplusplus.so, whose parser was compiled with its own flags.
#pragma once

#ifdef TOMLPLUSPLUS_H
#error "include io/toml.hpp instead of <toml++/toml.h>: its macro settings must come first"
#endif
#ifdef TOML_HEADER_ONLY
#error "toml++ must be compiled from its headers here: do not link tomlplusplus::tomlplusplus"
#endif
#define TOML_HEADER_ONLY 1

#include <stdexcept>
#include <string>
#include <string_view>

#include <toml++/impl/preprocessor.h>

namespace patchrace::detail {

/// Thrown by toml++ code where toml++ would otherwise reach __builtin_unreachable().
class TomlInternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// What TOML_UNREACHABLE does: throws TomlInternalError.
[[noreturn]] void toml_unreachable();

}  // namespace patchrace::detail

#undef TOML_ASSERT
#undef TOML_ASSERT_ASSUME
#undef TOML_ASSUME
#undef TOML_UNREACHABLE
#define TOML_ASSERT(expr) static_assert(true)
#define TOML_ASSERT_ASSUME(expr) static_assert(true)
#define TOML_ASSUME(...) static_assert(true)
#define TOML_UNREACHABLE ::patchrace::detail::toml_unreachable()

#include <toml++/toml.h>

namespace patchrace::detail {

/// Parses TOML `text`, whatever its bytes, into a table whose strings and keys are exactly
/// as written. `source_name` starts every message. Throws patchrace::InvalidScenario, on
/// one line:
///   "<source>:<line>:<col>: invalid UTF-8: byte 0xff at byte offset 12" (also overlong
///     forms, surrogates, code points past U+10FFFF and truncated sequences);
///   "<source>:<line>:<col>: character U+F0000 (supplementary private use) is not allowed"
///     for the code points U+F0000..U+F0BCA, which the parser uses internally;
///   "<source>:<line>:<col>: invalid TOML: a dotted key or table name of more than 32
///     parts, expected at most 32" (kMaxKeyParts; find_overlong_key());
///   "<source>:<line>:<col>: invalid TOML: <toml++'s description>" for a syntax error;
///   "<source>: invalid TOML: the TOML reader failed on this input" should toml++ reach
///     a state it calls unreachable.
/// Lines and columns count from 1, columns in characters (code points).
[[nodiscard]] toml::table parse_toml(std::string_view text, const std::string& source_name);

}  // namespace patchrace::detail
