// Undefines the spellings of stepping_macros.hpp and its parameters, after a
// structure's last `*_ops.inc` inclusion. No include guard.
#undef GOMAP_TEMPLATE
#undef GOMAP_OP
#undef GOMAP_VIA
#undef GOMAP_VIA_ONLY
#undef GOMAP_CALL
#undef GOMAP_RETURN
#undef GOMAP_EMIT
#undef GOMAP_READ_SCOPE
#undef GOMAP_RESUMABLE
#undef GOMAP_OWNER_TEMPLATE
#undef GOMAP_EVENT
