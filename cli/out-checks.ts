/**
 * Whether an output folder can be made and written at all, checked before any run of `run`, `sweep`
 * and `merge`: a loop of symbolic links, a path under a file, a read-only folder, a pseudo-filesystem
 * such as /proc or /sys (where making a folder fails in a way Node's recursive mkdir retries forever)
 * are each a one-line message (exit 2), never a stack trace or a hung process.
 */
import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Filesystems that hold no files of ours (statfs f_type magic numbers, linux/magic.h). tmpfs and
 * devtmpfs (/dev, /run) are real enough and are left to the write check.
 */
const PSEUDO: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x73636673: 'securityfs',
  0x74726163: 'tracefs',
  0xcafe4a11: 'bpf',
  0x6165676c: 'pstore',
  0x62656570: 'configfs',
  0xde5e81e4: 'efivarfs',
  0x42494e4d: 'binfmt_misc',
  0x65735543: 'fusectl',
  0x19800202: 'mqueue',
  0xf97cff8c: 'selinuxfs',
  0x6e736673: 'nsfs',
};

/** The first problem with writing into `target` (or making it), in words; undefined when there is none. */
export function outPathProblem(target: string): string | undefined {
  const abs = resolve(target);
  // The nearest part of the path that exists: the folder to write in, or to make the rest under.
  let base = abs;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(base).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return `'${target}' leads into a loop of symbolic links${base === abs ? '' : ` (at ${base})`}`;
      if (code === 'EACCES') return `'${target}' cannot be reached: permission denied on a folder of its path`;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `'${target}' cannot be used: ${(e as Error).message}`;
      const parent = dirname(base);
      if (parent === base) return `'${target}': no part of the path exists`;
      base = parent;
      continue;
    }
    if (!isDir) return base === abs ? `'${target}' is a file, not a folder` : `'${target}' is under ${base}, which is a file: no folder can be made there`;
    break;
  }
  let fsType: number | undefined;
  try {
    fsType = statfsSync(base).type;
  } catch {
    fsType = undefined;
  }
  const pseudo = fsType === undefined ? undefined : PSEUDO[fsType];
  if (pseudo !== undefined) return `'${target}' is on ${base === abs ? '' : `${base}, `}a ${pseudo} pseudo-filesystem, which holds no ordinary files: give a folder on a disk, e.g. out/run-1`;
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only filesystem' : code === 'EACCES' || code === 'EPERM' ? 'is read-only for this user' : `cannot be written (${(e as Error).message})`;
    return `'${target}' cannot be written: ${base === abs ? 'the folder' : `${base}, where it would be made,`} ${why}`;
  }
  return undefined;
}
