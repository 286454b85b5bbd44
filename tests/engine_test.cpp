#include <gtest/gtest.h>
#include "engine/any_map.hpp"
TEST(Smoke, Builds) { EXPECT_TRUE(gomap::AnyMap::create(gomap::KeyKind::Int64) != nullptr); }
