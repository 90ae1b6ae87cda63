#!/usr/bin/env python3
# The registry reachable here holds only some of @napi-rs/canvas's per-platform packages, so
# `npm install` leaves the others out of package-lock.json and `npm ci` then refuses the lock as
# out of sync. This adds the missing entries with their os/cpu/libc, so npm skips them on
# machines they do not fit and fetches them from a full registry on those they do.
# Run after any `npm install` that changes @napi-rs/canvas: python3 .ci/complete-lock.py package-lock.json
import json, sys
path = sys.argv[1]
lock = json.load(open(path))
pk = lock['packages']
platform = {
  'android-arm64': (['android'], ['arm64'], None),
  'darwin-arm64': (['darwin'], ['arm64'], None),
  'darwin-x64': (['darwin'], ['x64'], None),
  'linux-arm-gnueabihf': (['linux'], ['arm'], None),
  'linux-arm64-gnu': (['linux'], ['arm64'], ['glibc']),
  'linux-arm64-musl': (['linux'], ['arm64'], ['musl']),
  'linux-riscv64-gnu': (['linux'], ['riscv64'], ['glibc']),
  'linux-x64-gnu': (['linux'], ['x64'], ['glibc']),
  'linux-x64-musl': (['linux'], ['x64'], ['musl']),
  'win32-arm64-msvc': (['win32'], ['arm64'], None),
  'win32-x64-msvc': (['win32'], ['x64'], None),
}
added = []
for p, info in list(pk.items()):
    for dep, ver in (info.get('optionalDependencies') or {}).items():
        key = f'node_modules/{dep}'
        if key in pk: continue
        suffix = dep.split('/')[-1].removeprefix('canvas-')
        if not dep.startswith('@napi-rs/canvas-') or suffix not in platform:
            sys.exit(f'unknown missing optional dependency {dep}')
        os_, cpu, libc = platform[suffix]
        entry = {'version': ver, 'cpu': cpu, 'license': 'MIT', 'optional': True, 'os': os_}
        if libc: entry['libc'] = libc
        entry['engines'] = {'node': '>= 10'}
        pk[key] = entry
        added.append(dep)
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
print('added', added)
