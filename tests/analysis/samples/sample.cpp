#include <vector>
#include "shape.hpp"

namespace geo {

class Grid {
public:
    int count(const std::vector<int> &cells, int limit) {
        int n = 0;
        for (int c : cells) {
            if (c > limit)
                n += c;
        }
        try {
            check(n);
        } catch (const std::exception &e) {
            return -1;
        }
        return n;
    }
};

int Grid2::area(int w, int h) const
{
    int a = w * h;
    while (a > 100)
        a /= 2;
    return std::max(a, 0);
}

}
