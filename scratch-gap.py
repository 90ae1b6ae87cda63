import json, os, shutil, sys
src = sys.argv[1]; out = sys.argv[2]; ks = [int(x) for x in sys.argv[3].split(',')]
rows = [json.loads(l) for l in open(os.path.join(src, 'snapshots.ndjson')) if l.strip()]
os.makedirs(out, exist_ok=True)
for k in ks:
    d = os.path.join(out, f'{os.path.basename(src)}-gap{k:02d}')
    os.makedirs(d, exist_ok=True)
    for f in ('run.json', 'events.ndjson'): shutil.copy(os.path.join(src, f), d)
    new = [dict(r) for r in rows]
    a, b = rows[k], rows[k + 1]
    merged = {}
    for e in a.get('edges', []) + b.get('edges', []):
        key = (e['src'], e['dst'])
        m = merged.setdefault(key, {'src': e['src'], 'dst': e['dst']})
        for mk, v in e.items():
            if mk in ('src', 'dst'): continue
            m[mk] = m.get(mk, 0) + v
    new[k] = {'t': a['t'], 'dt': a['dt'], 'gap': True, 'edges': []}
    new[k + 1] = {'t': b['t'], 'dt': b['dt'], 'edges': list(merged.values())}
    with open(os.path.join(d, 'snapshots.ndjson'), 'w') as f:
        for r in new: f.write(json.dumps(r) + '\n')
