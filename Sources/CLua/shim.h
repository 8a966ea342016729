/*
 * CLua shim: what Swift cannot import from the Lua 5.4 C API, plus the small C
 * trampolines that keep every raising Lua call away from Swift frames.
 *
 * Rule of the house: Lua reports errors with longjmp. A longjmp that crosses a
 * Swift frame skips Swift's cleanup (releases, deinits, defers) and is undefined
 * behaviour. So every Lua call that can raise (allocation, metamethods, calls)
 * runs inside one of the `clua_op_*` C functions below, started by `lua_pcall`
 * from `clua_protected`; Swift only ever sees a status code. A Swift callback
 * that fails returns a negative code and `clua_callback_call` raises after the
 * Swift frame has returned.
 *
 * Written against Lua 5.4.4 (Debian). Version-specific facts are marked "5.4".
 */
#ifndef CALIPER_CLUA_SHIM_H
#define CALIPER_CLUA_SHIM_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

/* ---------- Macros and constants Swift cannot import ---------- */

/* LUA_REGISTRYINDEX is an expression macro. */
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
/* lua_pop is a macro over lua_settop. */
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
/* lua_pcall is a macro over lua_pcallk. */
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
  return lua_pcall(L, nargs, nresults, msgh);
}
/* lua_pushcfunction is a macro over lua_pushcclosure (no upvalues: never allocates). */
static inline void clua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
/* lua_tonumber is a macro over lua_tonumberx. */
static inline lua_Number clua_tonumber(lua_State *L, int i) { return lua_tonumber(L, i); }
/* lua_getextraspace is a pointer-arithmetic macro. */
static inline void *clua_getextraspace(lua_State *L) { return lua_getextraspace(L); }
/* lua_gc is variadic; a full collection (finalizers run in protected mode inside Lua). */
static inline void clua_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }

/* ---------- Limits: memory cap, instruction budget, deadline trip ---------- */

/* How many Swift functions per state get a trampoline of their own (see CLUA_FAST). */
#define CLUA_FAST_CALLBACKS 256

struct clua_box;

/* Why a run was stopped; stored in clua_limits.tripped. */
enum {
  CLUA_TRIP_NONE = 0,
  CLUA_TRIP_DEADLINE = 1,
  CLUA_TRIP_INSTRUCTIONS = 2,
  CLUA_TRIP_CANCELLED = 3,
  CLUA_TRIP_MEMORY = 4
};

/* Granularity of the instruction-budget count hook. */
#define CLUA_HOOK_STEP 1000

/*
 * Per-state accounting, owned by Swift and reached from every thread of the state
 * through the allocator's user data. `tripped` is written by a watchdog thread and
 * read by the Lua thread, hence the atomic builtins.
 */
typedef struct clua_limits {
  size_t memory_limit;          /* 0 = no cap */
  size_t memory_used;
  size_t memory_peak;
  size_t refused_allocations;
  long long instruction_budget; /* 0 = no budget */
  long long instructions_counted;
  int tripped;                  /* CLUA_TRIP_* (atomic) */
  int in_run;                   /* inside a limited run: there, the memory cap is final */
  char sentinel;                /* its address is the un-catchable limit error value */
  char failure_key;             /* its address keys the failure metatable in the registry */
  int fast_used;                /* slots of fast_boxes handed out (never handed out again) */
  void *host;                   /* the Swift owner of the state (unretained), for finalizers */
  struct clua_box *fast_boxes[CLUA_FAST_CALLBACKS]; /* slot k: the box of trampoline k */
} clua_limits;

/* Every thread of a state reaches its clua_limits through its extra space: the main thread's is
   set once the state is made, before anything runs on it, and lua_newthread copies it into each
   new thread. Unlike lua_getallocf (the same pointer, as the allocator's user data) this is a
   load, not a call: the hook and the callback trampolines read it often. */
static inline void clua_set_limits(lua_State *L, clua_limits *lim) {
  *(clua_limits **)lua_getextraspace(L) = lim;
}
static inline clua_limits *clua_state_limits(lua_State *L) {
  return *(clua_limits **)lua_getextraspace(L);
}

static inline int clua_limits_tripped(clua_limits *lim) {
  return __atomic_load_n(&lim->tripped, __ATOMIC_ACQUIRE);
}
static inline void clua_limits_trip(clua_limits *lim, int reason) {
  int expected = CLUA_TRIP_NONE;
  __atomic_compare_exchange_n(&lim->tripped, &expected, reason, 0, __ATOMIC_ACQ_REL,
                              __ATOMIC_ACQUIRE);
}
static inline void clua_limits_reset(clua_limits *lim) {
  __atomic_store_n(&lim->tripped, CLUA_TRIP_NONE, __ATOMIC_RELEASE);
}

/* Allocator with a cap: refusing returns NULL, which Lua turns into LUA_ERRMEM. */
static void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  clua_limits *lim = (clua_limits *)ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    lim->memory_used -= old;
    return NULL;
  }
  if (lim->memory_limit != 0 && nsize > old &&
      lim->memory_used - old + nsize > lim->memory_limit) {
    lim->refused_allocations++;
    /* In a run the cap is a limit like the others: the memory error may still be caught by a
       pcall, but the sandbox's pcall, xpcall and resume re-raise the tripped limit, and the run
       ends as a memory limit whatever the script did. */
    if (lim->in_run) clua_limits_trip(lim, CLUA_TRIP_MEMORY);
    return NULL;
  }
  void *block = realloc(ptr, nsize);
  if (block == NULL) return NULL;
  lim->memory_used = lim->memory_used - old + nsize;
  if (lim->memory_used > lim->memory_peak) lim->memory_peak = lim->memory_used;
  return block;
}

/*
 * The hook. With an instruction budget it runs every CLUA_HOOK_STEP instructions
 * and counts. Once a limit has tripped it re-arms itself on every instruction and
 * raises the sentinel, so `pcall`, `xpcall`, `coroutine.resume` or an error
 * handler can catch the error but the very next instruction raises it again.
 * It removes itself when nothing is tripped and no budget is set (a thread armed
 * in an earlier run heals on its next instruction).
 */
static void clua_hook(lua_State *L, lua_Debug *ar) {
  clua_limits *lim = clua_state_limits(L);
  if (ar->event == LUA_HOOKCOUNT && lim->instruction_budget > 0 && !clua_limits_tripped(lim)) {
    lim->instructions_counted += lua_gethookcount(L);
    long long remaining = lim->instruction_budget - lim->instructions_counted;
    if (remaining <= 0) {
      clua_limits_trip(lim, CLUA_TRIP_INSTRUCTIONS);
    } else {
      int step = remaining < CLUA_HOOK_STEP ? (int)remaining : CLUA_HOOK_STEP;
      if (step != lua_gethookcount(L)) lua_sethook(L, clua_hook, LUA_MASKCOUNT, step);
      return;
    }
  }
  if (clua_limits_tripped(lim)) {
    if (lua_gethookcount(L) != 1) lua_sethook(L, clua_hook, LUA_MASKCOUNT, 1);
    lua_pushlightuserdata(L, &lim->sentinel); /* no allocation */
    lua_error(L);
  }
  if (lim->instruction_budget == 0) lua_sethook(L, NULL, 0, 0);
}

/* Arms a thread so that it raises the limit error at its next instruction.
   lua_sethook is documented as safe to call asynchronously (from a watchdog). */
static inline void clua_arm(lua_State *L) { lua_sethook(L, clua_hook, LUA_MASKCOUNT, 1); }

/* Installs the instruction-budget hook on a thread (or removes any hook). */
static inline void clua_set_budget_hook(lua_State *L, int on) {
  if (on) lua_sethook(L, clua_hook, LUA_MASKCOUNT, CLUA_HOOK_STEP);
  else lua_sethook(L, NULL, 0, 0);
}

/* Gives a coroutine the hook of the thread that resumes it (threads made before a
   run started did not inherit the run's hook). */
static inline void clua_copy_hook(lua_State *from, lua_State *to) {
  lua_sethook(to, lua_gethook(from), lua_gethookmask(from), lua_gethookcount(from));
}

static inline int clua_is_sentinel(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TLIGHTUSERDATA &&
         lua_touserdata(L, idx) == (void *)&clua_state_limits(L)->sentinel;
}

/* For the sandbox's pcall/xpcall: raises the limit error again if a limit has tripped,
   otherwise returns its arguments unchanged. A belt to the hook's braces: whatever state a
   caught limit error left Lua's hook machinery in, the script does not go on. */
static int clua_limit_guard(lua_State *L) {
  clua_limits *lim = clua_state_limits(L);
  if (clua_limits_tripped(lim)) {
    lua_pushlightuserdata(L, &lim->sentinel);
    return lua_error(L);
  }
  return lua_gettop(L);
}

/* ---------- Protected operations ---------- */

/*
 * Runs `op` under lua_pcall with `ud` as a light userdata first argument, followed
 * by the `nargs` values on top of the stack. On success `nresults` values replace
 * them; on failure the error value does and the status is returned. Needs two free
 * stack slots, which it checks.
 */
static inline int clua_protected(lua_State *L, lua_CFunction op, void *ud, int nargs,
                                 int nresults) {
  if (!lua_checkstack(L, 2 + nresults)) {
    lua_pop(L, nargs);
    lua_pushlightuserdata(L, NULL);
    return LUA_ERRMEM;
  }
  lua_pushcfunction(L, op);
  lua_pushlightuserdata(L, ud);
  lua_rotate(L, -(nargs + 2), 2);
  return lua_pcall(L, nargs + 1, nresults, 0);
}

/* Byte string passed to clua_op_pushstring. */
typedef struct clua_bytes {
  const char *data;
  size_t length;
} clua_bytes;

/* () -> string */
static int clua_op_pushstring(lua_State *L) {
  clua_bytes *b = (clua_bytes *)lua_touserdata(L, 1);
  lua_pushlstring(L, b->data, b->length);
  return 1;
}

/* () -> table; ud points to two ints: array and record size hints. */
static int clua_op_newtable(lua_State *L) {
  int *sizes = (int *)lua_touserdata(L, 1);
  lua_createtable(L, sizes[0], sizes[1]);
  return 1;
}

/* (t, k, v) -> (); raw assignment. */
static int clua_op_rawset(lua_State *L) {
  lua_rawset(L, 2);
  return 0;
}

/* (t, k, v) -> (); assignment with metamethods. */
static int clua_op_settable(lua_State *L) {
  lua_settable(L, 2);
  return 0;
}

/* (t, k) -> v; indexing with metamethods. */
static int clua_op_gettable(lua_State *L) {
  lua_gettable(L, 2);
  return 1;
}

/* (v) -> (); ud points to an int that receives luaL_ref(registry). */
static int clua_op_ref(lua_State *L) {
  int *out = (int *)lua_touserdata(L, 1);
  *out = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

/* () -> (); ud points to the int reference to release. */
static int clua_op_unref(lua_State *L) {
  luaL_unref(L, LUA_REGISTRYINDEX, *(int *)lua_touserdata(L, 1));
  return 0;
}

/* (v) -> string; luaL_tolstring, which honours __tostring and __name. */
static int clua_op_tostring(lua_State *L) {
  luaL_tolstring(L, 2, NULL);
  return 1;
}

/* () -> (); opens the standard libraries into the real globals. */
static int clua_op_openlibs(lua_State *L) {
  luaL_openlibs(L);
  return 0;
}

/* ---------- Swift callbacks ---------- */

/* What a Swift callback returns to make the trampoline raise the value on top as it is. */
#define CLUA_RAISE -1
/* ...or to raise the failure block it was given, which it has filled with its error. */
#define CLUA_RAISE_FAILURE -2

/* Releases the Swift object behind `box`; `L` is the thread running the finalizer that releases
   it (NULL when Swift code replaces an object outside a finalizer). */
typedef void (*clua_swift_release)(lua_State *L, void *box);

/*
 * A Swift error on its way through Lua (after mlua's WrappedFailure): a userdata that holds the
 * retained Swift object carrying the original error, and its message for `tostring`. Every call
 * of a Swift function reserves one before its Swift body runs, so raising the error allocates
 * nothing: the original value cannot be lost to an out-of-memory error on the way out.
 * User values: 1, the next block of its function's spare chain; 2, the traceback taken by
 * `clua_traceback_handler` when the error reached the host.
 */
typedef struct clua_failure {
  void *error;                /* the retained Swift object; NULL while the block is spare */
  clua_swift_release release; /* releases `error` */
  const char *message;        /* the text `tostring` gives, owned by `error` */
  size_t length;
  int reserved;               /* held by a running call of its function */
} clua_failure;

/* Calls a Swift function: returns results pushed, or CLUA_RAISE* with the error ready. */
typedef int (*clua_swift_invoke)(lua_State *L, void *box, clua_failure *failure);

/* Block of a userdata that carries a retained Swift object. */
typedef struct clua_box {
  clua_swift_invoke invoke;   /* NULL for plain objects */
  clua_swift_release release;
  void *box;                  /* the retained Swift object that owns everything */
  void *target;               /* what `invoke` receives: storage owned by `box` */
  void *spare;                /* callbacks: the head of the closure's spare failure chain (the
                                 clua_failure its upvalue 2 holds, cached so the common call
                                 reads no upvalue), or NULL */
  int depth;                  /* callbacks: calls of it running; the outermost owns the head */
} clua_box;

#define CLUA_BOX_METATABLE "luakit.box"

/* __gc of boxes: release the Swift side exactly once. */
static int clua_box_gc(lua_State *L) {
  clua_box *b = (clua_box *)lua_touserdata(L, 1);
  if (b != NULL && b->box != NULL) {
    void *box = b->box;
    b->box = NULL;
    b->release(L, box);
  }
  return 0;
}

/* __gc of failure blocks: release the Swift error exactly once. */
static int clua_failure_gc(lua_State *L) {
  clua_failure *f = (clua_failure *)lua_touserdata(L, 1);
  if (f != NULL && f->error != NULL) {
    void *error = f->error;
    f->error = NULL;
    f->message = NULL;
    f->length = 0;
    f->release(L, error);
  }
  return 0;
}

/* The failure block at `idx`, or NULL when the value is not one. Checked by metatable identity;
   never raises or allocates. Needs two free stack slots. */
static inline clua_failure *clua_failure_at(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
  void *block = lua_touserdata(L, idx);
  if (!lua_getmetatable(L, idx)) return NULL;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &clua_state_limits(L)->failure_key);
  int same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? (clua_failure *)block : NULL;
}

/* __tostring of failure blocks: the message, position included. */
static int clua_failure_tostring(lua_State *L) {
  clua_failure *f = clua_failure_at(L, 1);
  if (f == NULL || f->message == NULL) return luaL_error(L, "not a LuaKit error");
  lua_pushlstring(L, f->message, f->length);
  return 1;
}

/* __concat of failure blocks: `"context: " .. err` works as it did when errors were strings. */
static int clua_failure_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    if (clua_failure_at(L, i) == NULL && !lua_isstring(L, i)) {
      return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, i));
    }
  }
  luaL_tolstring(L, 1, NULL);
  luaL_tolstring(L, 2, NULL);
  lua_concat(L, 2);
  return 1;
}

/* Pushes a new spare failure block (may raise: only before a Swift frame exists). */
static clua_failure *clua_failure_new(lua_State *L) {
  clua_failure *f = (clua_failure *)lua_newuserdatauv(L, sizeof(clua_failure), 2);
  memset(f, 0, sizeof(clua_failure));
  void *key = &clua_state_limits(L)->failure_key;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 5);
    lua_pushcfunction(L, clua_failure_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, clua_failure_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, clua_failure_concat);
    lua_setfield(L, -2, "__concat");
    lua_pushliteral(L, "error");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
  }
  lua_setmetatable(L, -2);
  return f;
}

/*
 * Reserves a failure block for this call of the running Swift function. Spare blocks hang in a
 * chain from the closure's upvalue 2, whose head the box caches: the outermost call of the
 * function owns the head (counted in `depth`, on the box's own cache line: the common call
 * touches no block and no upvalue); nested calls of the same function take the first later
 * block not `reserved`. Only when none is free is a block allocated and appended: here, before
 * the Swift frame exists, so an out-of-memory error is raised safely (before anything is counted).
 * Leaves the stack as it found it (a C function has LUA_MINSTACK free slots on entry).
 */
__attribute__((noinline)) static clua_failure *clua_failure_reserve_slow(lua_State *L, clua_box *b);

static inline clua_failure *clua_failure_reserve(lua_State *L, clua_box *b) {
  clua_failure *f = (clua_failure *)b->spare;
  if (__builtin_expect(b->depth == 0 && f != NULL, 1)) { /* the outermost call owns the head */
    b->depth = 1;
    return f;
  }
  return clua_failure_reserve_slow(L, b);
}

/* The first call (no head yet) and nested calls of the same function. Kept out of line so the
   trampoline stays small: every call pays for its frame. */
__attribute__((noinline)) static clua_failure *clua_failure_reserve_slow(lua_State *L, clua_box *b) {
  clua_failure *f;
  if (b->depth == 0) { /* no head yet: may raise, and nothing is counted yet */
    f = clua_failure_new(L);
    lua_replace(L, lua_upvalueindex(2));
    b->spare = f;
    b->depth = 1;
    return f;
  }
  /* A nested call of the same function: the head is its outer call's; take a later block. */
  lua_pushvalue(L, lua_upvalueindex(2));
  for (;;) { /* the block at -1 is taken: look at the next one */
    lua_getiuservalue(L, -1, 1);
    clua_failure *next = (clua_failure *)lua_touserdata(L, -1);
    if (next == NULL) break;
    if (!next->reserved) {
      lua_pop(L, 2);
      next->reserved = 1;
      b->depth++;
      return next;
    }
    lua_replace(L, -2);
  }
  lua_pop(L, 1); /* the nil after the last block */
  f = clua_failure_new(L); /* may raise: nothing is counted yet */
  lua_setiuservalue(L, -2, 1);
  lua_pop(L, 1);
  f->reserved = 1;
  b->depth++;
  return f;
}

/*
 * Takes a filled failure block out of its function's chain (it now belongs to the error) and
 * leaves it alone on the stack, ready to raise. Relinking user values and upvalues allocates
 * nothing; the stack is emptied first, so the slots needed are there.
 */
__attribute__((noinline, cold)) static void clua_failure_detach(lua_State *L, clua_box *b, clua_failure *f) {
  lua_settop(L, 0);
  lua_pushvalue(L, lua_upvalueindex(2)); /* 1: head of the chain */
  if (lua_touserdata(L, 1) == f) {
    lua_getiuservalue(L, 1, 1);
    b->spare = lua_touserdata(L, -1);
    lua_replace(L, lua_upvalueindex(2)); /* the head is now f's successor */
  } else {
    for (;;) { /* 1 stays the block before f, 2 becomes f */
      lua_getiuservalue(L, 1, 1);
      if (lua_touserdata(L, 2) == f) break;
      if (lua_type(L, 2) != LUA_TUSERDATA) { /* cannot happen: a reserved block stays chained */
        lua_settop(L, 0);
        lua_pushliteral(L, "LuaKit: a Swift error left its chain");
        return;
      }
      lua_replace(L, 1);
    }
    lua_getiuservalue(L, 2, 1);
    lua_setiuservalue(L, 1, 1); /* the predecessor skips f */
    lua_replace(L, 1);
  }
  lua_pushnil(L);
  lua_setiuservalue(L, 1, 1);
}

/*
 * The C closure behind every Swift function. Upvalue 1: its box's block, as a light userdata
 * (reading it skips the full userdata's offset arithmetic on every call); 2: its spare failure
 * blocks; 3: the box's full userdata, which owns the block and releases the Swift object.
 * The Swift frame has returned before lua_error runs, so the longjmp unwinds C and Lua frames
 * only.
 */
/* Raises what a failed Swift callback left (out of line: the common call only tests the sign). */
__attribute__((noinline, cold)) static int clua_callback_raise(lua_State *L, clua_box *b, clua_failure *failure,
                                                               int n) {
  if (n == CLUA_RAISE_FAILURE) clua_failure_detach(L, b, failure);
  return lua_error(L);
}

/*
 * A Swift function whose box was finalized is still callable from another finalizer (one that
 * runs later, at lua_close or when both became garbage together; only unsandboxed code can set
 * __gc): its Swift object is gone, so the call is refused with an error instead.
 */
__attribute__((noinline, cold)) static int clua_callback_released(lua_State *L) {
  return luaL_error(L, "a Swift function was called after its state released it (from a finalizer)");
}

/* Any call but the common one: a nested call of the same function, the first call (no spare
   block yet), or a call after the box was finalized. */
__attribute__((noinline)) static int clua_callback_enter_slow(lua_State *L, clua_box *b) {
  if (b->box == NULL) return clua_callback_released(L);
  clua_failure *failure = clua_failure_reserve(L, b);
  int n = b->invoke(L, b->target, failure);
  /* A nested call's block is handed back; the head (the outermost call's) needs no flag. */
  if (--b->depth > 0) failure->reserved = 0;
  if (n < 0) return clua_callback_raise(L, b, failure, n);
  return n;
}

/* Runs the Swift function of box `b` for the C closure being called. The common call is the
   outermost one of its function, whose spare failure block is the head of the chain: it only
   marks the head taken and gives it back. */
static inline __attribute__((always_inline)) int clua_callback_enter(lua_State *L, clua_box *b) {
  clua_failure *failure = (clua_failure *)b->spare;
  if (__builtin_expect(b->depth != 0 || failure == NULL || b->box == NULL, 0)) return clua_callback_enter_slow(L, b);
  b->depth = 1;
  int n = b->invoke(L, b->target, failure);
  b->depth = 0;
  if (__builtin_expect(n < 0, 0)) return clua_callback_raise(L, b, failure, n);
  return n;
}

/* The shared trampoline, once a state's fast slots are all handed out: the box comes from
   upvalue 1 (lua_touserdata of an upvalue index: about 29 instructions per call). */
static int clua_callback_call(lua_State *L) {
  return clua_callback_enter(L, (clua_box *)lua_touserdata(L, lua_upvalueindex(1)));
}

/*
 * Trampolines of their own for the first CLUA_FAST_CALLBACKS Swift functions of a state: each
 * serves only the closure made with it, so it finds the box in its slot of the state's
 * clua_limits (two loads) instead of reading an upvalue. A slot is never handed out again: the
 * closure keeps its box alive (upvalue 3) for as long as it can be called, so the slot's pointer
 * is valid whenever its trampoline runs, and once the box is finalized b->box is NULL and the
 * call is refused. (Only C code that took the C function out of the closure with
 * lua_tocfunction could call it on its own; LuaKit never does.)
 * Names spell the slot in base 4: clua_fast_0123 serves slot 0*64 + 1*16 + 2*4 + 3 = 27.
 */
#define CLUA_FAST(n, slot) \
  static int clua_fast_##n(lua_State *L) { return clua_callback_enter(L, clua_state_limits(L)->fast_boxes[slot]); }
#define CLUA_FAST4(n, s) CLUA_FAST(n##0, (s)*4) CLUA_FAST(n##1, (s)*4 + 1) CLUA_FAST(n##2, (s)*4 + 2) CLUA_FAST(n##3, (s)*4 + 3)
#define CLUA_FAST16(n, s) CLUA_FAST4(n##0, (s)*4) CLUA_FAST4(n##1, (s)*4 + 1) CLUA_FAST4(n##2, (s)*4 + 2) CLUA_FAST4(n##3, (s)*4 + 3)
#define CLUA_FAST64(n, s) CLUA_FAST16(n##0, (s)*4) CLUA_FAST16(n##1, (s)*4 + 1) CLUA_FAST16(n##2, (s)*4 + 2) CLUA_FAST16(n##3, (s)*4 + 3)
CLUA_FAST64(0, 0) CLUA_FAST64(1, 1) CLUA_FAST64(2, 2) CLUA_FAST64(3, 3)
#define CLUA_FASTREF4(n) clua_fast_##n##0, clua_fast_##n##1, clua_fast_##n##2, clua_fast_##n##3,
#define CLUA_FASTREF16(n) CLUA_FASTREF4(n##0) CLUA_FASTREF4(n##1) CLUA_FASTREF4(n##2) CLUA_FASTREF4(n##3)
#define CLUA_FASTREF64(n) CLUA_FASTREF16(n##0) CLUA_FASTREF16(n##1) CLUA_FASTREF16(n##2) CLUA_FASTREF16(n##3)
/* In slot order: entry k is the trampoline whose body reads slot k. */
static const lua_CFunction clua_fast_trampolines[CLUA_FAST_CALLBACKS] = {
  CLUA_FASTREF64(0) CLUA_FASTREF64(1) CLUA_FASTREF64(2) CLUA_FASTREF64(3)
};

/* () -> userdata; the block's metatable is set here so its __gc is never missed. */
static int clua_op_newbox(lua_State *L) {
  clua_box *src = (clua_box *)lua_touserdata(L, 1);
  clua_box *b = (clua_box *)lua_newuserdatauv(L, sizeof(clua_box), 0);
  b->invoke = NULL;
  b->release = src->release;
  b->box = NULL;
  b->target = NULL;
  b->spare = NULL;
  b->depth = 0;
  if (luaL_newmetatable(L, CLUA_BOX_METATABLE)) {
    lua_pushcfunction(L, clua_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  /* Only now that __gc is in place does the block take ownership. */
  b->invoke = src->invoke;
  b->box = src->box;
  b->target = src->target;
  src->box = NULL;
  return 1;
}

/* () -> function; a C closure over a new box (its spare failure blocks come on first call),
   with a trampoline of its own while the state has fast slots left. */
static int clua_op_newcallback(lua_State *L) {
  clua_op_newbox(L); /* 2: the box */
  clua_box *b = (clua_box *)lua_touserdata(L, 2);
  lua_pushlightuserdata(L, b); /* 3 */
  lua_pushnil(L);              /* 4 */
  lua_rotate(L, 2, -1);        /* block, nil, box */
  lua_CFunction trampoline = clua_callback_call;
  clua_limits *lim = clua_state_limits(L);
  if (lim->fast_used < CLUA_FAST_CALLBACKS) {
    /* If the closure cannot be made, the slot stays taken by a box no closure calls: harmless. */
    lim->fast_boxes[lim->fast_used] = b;
    trampoline = clua_fast_trampolines[lim->fast_used++];
  }
  lua_pushcclosure(L, trampoline, 3);
  return 1;
}

/* (box, metatable) -> box; sets a type metatable on a fresh object box. */
static int clua_op_newobject(lua_State *L) {
  lua_settop(L, 2); /* ud, metatable */
  clua_op_newbox(L);
  /* The box already has the generic metatable; replace it with the type's, which
     carries the same __gc. */
  lua_pushvalue(L, 2);
  lua_setmetatable(L, -2);
  return 1;
}

/* Returns the Swift object of a box (or NULL if `idx` is not a box). */
static inline void *clua_box_object(lua_State *L, int idx) {
  clua_box *b = (clua_box *)lua_touserdata(L, idx);
  return b == NULL ? NULL : b->box;
}

/* The gc function every object metatable must carry. */
static inline lua_CFunction clua_box_finalizer(void) { return clua_box_gc; }

/* ---------- Record views ---------- */

/*
 * A record view is one userdata that scripts read like a read-only table while the host
 * moves it from record to record (rows of a file, say) without allocating. The host writes
 * field values straight into the userdata's memory; `clua_record_index` reads them without
 * calling into Swift. A field is valid only while its generation equals the record's: the
 * host advances the generation at every record and when it closes the view, so a stale value
 * (or a borrowed pointer of a past record) is never read. Anything else (a field not set for
 * this record, a symbol not yet cached, an unknown key, a closed view) goes to the host's
 * fallback function, which computes the value or raises naming the problem.
 */

/* What a record field holds. */
enum {
  CLUA_FIELD_NIL = 0,
  CLUA_FIELD_INTEGER = 1,
  CLUA_FIELD_NUMBER = 2,
  CLUA_FIELD_BOOLEAN = 3, /* `integer` is 0 or 1 */
  CLUA_FIELD_BYTES = 4,   /* `bytes`/`length`, borrowed from the host for this record only */
  CLUA_FIELD_SYMBOL = 5   /* `integer` is an id; its string is cached in upvalue 2 at id + 1 */
};

typedef struct clua_field {
  lua_Integer generation;
  lua_Integer integer;
  lua_Number number;
  const char *bytes;
  size_t length;
  int kind;
} clua_field;

typedef struct clua_record {
  lua_Integer generation;
  /* Fields read since the host last cleared it: bit i for field i, bit 63 for fields 63 on. */
  unsigned long long reads;
  int count;
  clua_field fields[];
} clua_record;

/* The address of field `i` (Swift does not import flexible array members). */
static inline clua_field *clua_record_field(clua_record *r, int i) { return &r->fields[i]; }

/* __index of a record view. Upvalues: names (string -> field index), symbols (id + 1 ->
   string), fallback (record, key) -> value. */
static int clua_record_index(lua_State *L) {
  clua_record *r = (clua_record *)lua_touserdata(L, 1);
  if (r != NULL) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
      lua_Integer i = lua_tointeger(L, -1);
      lua_pop(L, 1);
      clua_field *f = (i >= 0 && i < r->count) ? &r->fields[i] : NULL;
      if (f != NULL) r->reads |= 1ULL << (i < 63 ? i : 63);
      if (f != NULL && f->generation == r->generation) {
        switch (f->kind) {
        case CLUA_FIELD_NIL: lua_pushnil(L); return 1;
        case CLUA_FIELD_INTEGER: lua_pushinteger(L, f->integer); return 1;
        case CLUA_FIELD_NUMBER: lua_pushnumber(L, f->number); return 1;
        case CLUA_FIELD_BOOLEAN: lua_pushboolean(L, (int)f->integer); return 1;
        case CLUA_FIELD_BYTES: lua_pushlstring(L, f->bytes, f->length); return 1;
        case CLUA_FIELD_SYMBOL:
          if (lua_rawgeti(L, lua_upvalueindex(2), f->integer + 1) == LUA_TSTRING) return 1;
          lua_pop(L, 1);
          break;
        }
      }
    } else {
      lua_pop(L, 1);
    }
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(3));
  lua_insert(L, 1);
  lua_call(L, 2, 1); /* a host error propagates from here: only C frames are unwound */
  return 1;
}

/* Sizes for clua_op_newrecord: the field count in, the record's address out. */
typedef struct clua_record_spec {
  int count;
  clua_record *record;
} clua_record_spec;

/* (metatable, names, fallback) -> record userdata. Sets the metatable's __index to a
   closure over names, a new symbol cache and fallback; the fields start at generation 0,
   which the record (generation 1) never matches. */
static int clua_op_newrecord(lua_State *L) {
  clua_record_spec *spec = (clua_record_spec *)lua_touserdata(L, 1);
  size_t size = sizeof(clua_record) + (size_t)spec->count * sizeof(clua_field);
  clua_record *r = (clua_record *)lua_newuserdatauv(L, size, 0); /* 5 */
  memset(r, 0, size);
  r->generation = 1;
  r->count = spec->count;
  lua_pushvalue(L, 3);                                 /* names */
  lua_createtable(L, 64, 0);                           /* symbols */
  lua_pushvalue(L, 4);                                 /* fallback */
  lua_pushcclosure(L, clua_record_index, 3);
  lua_setfield(L, 2, "__index");
  lua_pushvalue(L, 2);
  lua_setmetatable(L, 5);
  spec->record = r;
  return 1;
}

/* (record, id, string) -> (); caches the string of symbol `id` for the record's reads. */
static int clua_op_cachesymbol(lua_State *L) {
  lua_getmetatable(L, 2);
  lua_getfield(L, -1, "__index");
  lua_getupvalue(L, -1, 2);
  lua_pushvalue(L, 4);
  lua_rawseti(L, -2, lua_tointeger(L, 3) + 1);
  return 0;
}

/* (record) -> (); empties a record view's symbol cache (the host's ids changed meaning). */
static int clua_op_resetsymbols(lua_State *L) {
  lua_getmetatable(L, 2);
  lua_getfield(L, -1, "__index");
  lua_createtable(L, 64, 0);
  lua_setupvalue(L, -2, 2);
  return 0;
}

/* ---------- Errors ---------- */

/* (v) -> string via __tostring; run protected from the message handler below. */
static int clua_op_describe_error(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* (failure) -> (); stores the traceback from the code that raised it in user value 2. Levels:
   0 is this function, 1 the message handler, 2 where the error was raised. */
static int clua_op_failure_traceback(lua_State *L) {
  luaL_traceback(L, L, NULL, 2);
  lua_setiuservalue(L, 1, 2);
  return 0;
}

/*
 * Message handler: turns the error into "message + traceback". A non-string error object is
 * described by its __tostring when that works, else by its type, as the standalone `lua` does;
 * the limit sentinel passes through untouched, and a Swift error stays the value it is (the host
 * gets the original back), with the traceback stored in it when there is memory for one.
 */
static int clua_traceback_handler(lua_State *L) {
  if (clua_is_sentinel(L, 1)) return 1;
  if (clua_failure_at(L, 1) != NULL) {
    lua_pushcfunction(L, clua_op_failure_traceback);
    lua_pushvalue(L, 1);
    lua_pcall(L, 1, 0, 0);
    lua_settop(L, 1);
    return 1;
  }
  if (lua_type(L, 1) != LUA_TSTRING) {
    lua_pushcfunction(L, clua_op_describe_error);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TSTRING) {
      lua_settop(L, 1);
      lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    lua_replace(L, 1);
  }
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
  return 1;
}

/* ---------- Loading ---------- */

/* Loads a text-only chunk (lua_load is protected internally: it never raises). */
static inline int clua_load_text(lua_State *L, const char *text, size_t length,
                                 const char *chunkname) {
  return luaL_loadbufferx(L, text, length, chunkname, "t");
}

#endif /* CALIPER_CLUA_SHIM_H */
