/* store_vfs.h - the SQLite VFS the store opens its logs with: SQLite's
 * own, with a transaction's -wal frames written in one call
 * (store_vfs.c). Inside the store, and for its tests. */
#ifndef RC_STORE_VFS_H
#define RC_STORE_VFS_H

#include <sqlite3.h>

#define STORE_VFS_NAME "runcare"

/* Register the VFS under STORE_VFS_NAME (not as the default); once is
 * enough, again does nothing. SQLITE_OK, or SQLite's error: then open
 * with the default VFS. Not thread-safe: call under a pthread_once. */
int store_vfs_register(void);

/* The write calls a buffered -wal file of this VFS has made to the real
 * file (one per commit or per buffer), or -1 for any other file. */
long store_vfs_writes(sqlite3_file *file);

#endif
