#include <sqlite3.h>
// SQLITE_TRANSIENT is a macro cast of -1 that Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return (sqlite3_destructor_type)-1; }
// sqlite3_config is variadic, which Swift cannot call. Without allocation statistics (which agentmon never reads)
// every allocation of SQLite's no longer takes a process-wide mutex. Only before the first connection opens.
static inline int csqlite_no_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
