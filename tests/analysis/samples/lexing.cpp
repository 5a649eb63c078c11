// lexing.cpp - a fuzz seed for what the store reads from C++ text token by token (store/recv.c
// c_scan: aliases and their scope, blocks of no function): raw strings with delimiters, braces
// in strings and character literals, digit separators, template parameters with '>' inside
// parentheses, test macros' blocks, comments before declarations, an unterminated raw string.
#include <vector>

namespace ns {
template <class T, class = typename std::enable_if<(sizeof(T) > 1)>::type>
class basic_j {
  public:
    using value_type = T; /* a class's alias: every file's */
    int items() const { return 1'000'000; }
    static basic_j parse(const char* s) { return basic_j(); }
};
using j = basic_j<long>;
typedef basic_j<short> sj;
}  // namespace ns

extern "C" {
typedef int c_int;
}

TEST_CASE("lexing") {
    const char* a = R"delim({"a": [1, 2}} )" still in )delim";
    const char* b = "{ \" } {";
    char c = '{', d = '}', e = '\'';
    using j = ns::basic_j<int>;  // local to this block
    // the document: "http://x" {
    j const v = j::parse(a);
    v.items();
    ns::j::parse(b).items();
    auto f = [&]() { using k = ns::sj; k w; return w.items(); };
    SECTION("nested") {
        {{{{ j x; x.items(); }}}}
    }
}

int after(ns::j q) { return q.items(); }

const char* unterminated = R"x(never closed {
