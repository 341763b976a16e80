#!/usr/bin/env python3
# Rewrites model/steps.def's columns from an observation file written by
# AIOMC_STEP_TABLE_OUT (name actors locks writes reads runs variants), keeping the header; rows
# not observed keep their current columns. Usage: gen_steps_def.py OBSERVED [ALIASES]
import re, sys
obs = {}
for line in open(sys.argv[1]):
    n, a, l, w, rd, r, v = line.split()
    if int(r): obs[n] = [int(a), int(l), int(w), int(rd), int(v)]
V = re.findall(r'^AIOMC_VARIANT\((\w+),', open('model/variants.def').read(), re.M)
A=['A_THREAD','A_DAEMON','A_DISK','A_TASKQ','A_SOFTCLOCK']
L=['L_P','L_JM','L_KQ','L_GIANT','L_LX_SX']
W=['W_GLOBAL','W_TASKQ','W_CALLOUT','W_PROC_OWN','W_PROC_OTHER','W_THREAD_SELF','W_THREAD_OTHER','W_DAEMON_SELF','W_DAEMON_OTHER','W_DISK','W_JOB','W_LIO','W_KQ','W_KNOTE','W_SOCK','W_LINUX','W_PANIC']
def m(v, names):
    s = [names[i] for i in range(len(names)) if v >> i & 1]
    return '|'.join(s) if s else '0'
text = open('model/steps.def').read()
def repl(mo):
    ident, name = mo.group(1), mo.group(2)
    if name not in obs: return mo.group(0)[:-1]
    src = re.search(r',\s*("[^"]*")\)\s*$', mo.group(0)).group(1)  # the source column is kept
    a, l, w, rd, v = obs[name]
    vs = '|'.join(f'AIOMC_V({V[i]})' for i in range(len(V)) if v >> i & 1) or '0'
    return f'AIOMC_STEP({ident}, "{name}",\n           {m(a,A)}, {m(l,L)},\n           {m(w,W)},\n           {m(rd,W)},\n           {vs},\n           {src})'
text = re.sub(r'^AIOMC_STEP\((\w+), "([^"]+)",.*?\)\n(?=AIOMC_STEP|\Z)', lambda mo: repl(mo) + '\n', text, flags=re.S | re.M)
open('model/steps.def', 'w').write(text)
