#!/usr/bin/env python3
"""Expected results for libs/yaql's conformance spec, computed by yaql itself.

Usage: PYTHONPATH=<yaql checkout> python3 oracle.py < cases.txt > ../src/conformance.json
(yaql imports pbr only for its version: a stub module named pbr.version with VersionInfo is enough.)

cases.txt: one expression a line; `# source: ...` lines name where the next cases come from
(yaql's or Orquesta's tests); `# data: {json}` sets the data `$` is bound to for the next cases.
The data is also Orquesta's workflow context, read by ctx() (Orquesta's function, copied here).
Each result is Python's repr of yaql's output (lists as lists), or the exception's class name.
"""
import json
import sys

import yaql
from yaql.language import utils

engine = yaql.YaqlFactory().create()
root = yaql.create_context()


def ctx_(context, key=None):
    # orquesta/expressions/functions/common.py: the workflow context, bound as __vars.
    if key:
        if key not in context['__vars']:
            raise KeyError(key)
        return context['__vars'][key]
    return {k: v for k, v in context['__vars'].items() if not k.startswith('__')}


root.register_function(ctx_, name='ctx')

cases = []
source = ''
data = None
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line.strip():
        continue
    if line.startswith('# source:'):
        source = line[len('# source:'):].strip()
        continue
    if line.startswith('# data:'):
        data = json.loads(line[len('# data:'):])
        continue
    if line.startswith('#'):
        continue
    ctx = root.create_child_context()
    if data is not None:
        ctx['$'] = utils.convert_input_data(data)
        ctx['__vars'] = utils.convert_input_data(data)
    case = {'expr': line, 'source': source, 'data': data}
    try:
        case['expect'] = repr(engine(line).evaluate(context=ctx))
    except Exception as error:  # noqa: BLE001 - the class is the expectation
        case['error'] = type(error).__name__
    cases.append(case)

# One case a line, so a diff shows which cases changed.
sys.stdout.write('[\n' + ',\n'.join(json.dumps(case, ensure_ascii=False) for case in cases) + '\n]\n')
