// sync.Map's methods in both forms (syncmap_ops.inc), compiled through the
// stepping core's spellings (stepping_macros.hpp). Included by syncmap.cpp
// only: the map is not a template, so its methods are instantiated there.
#pragma once
#include "engine/syncmap.hpp"

namespace gomap::syncmap {

#define GOMAP_OWNER_TEMPLATE
#define GOMAP_EVENT(site, ...) SyncEvent::of<site>(__VA_ARGS__)

#define GOMAP_RESUMABLE 1
#include "engine/stepping_macros.hpp"
#include "engine/syncmap_ops.inc"
#undef GOMAP_RESUMABLE

#define GOMAP_RESUMABLE 0
#include "engine/stepping_macros.hpp"
#include "engine/syncmap_ops.inc"
#include "engine/stepping_macros_end.hpp"

} // namespace gomap::syncmap
