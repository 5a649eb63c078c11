import math,sys,collections
sys.path.insert(0,'/work/main/bench/callgraph'); import callgraph_eval as ce
repos=[('jansson','c','akheron/jansson'),('pugixml','cpp','zeux/pugixml'),('logrus','go','sirupsen/logrus'),('failsafe','java','failsafe-lib/failsafe'),('node-fs-extra','javascript','jprichardson/node-fs-extra'),('attrs','python','python-attrs/attrs'),('indexmap','rust','indexmap-rs/indexmap'),('class-validator','typescript','typestack/class-validator'),('react-day-picker','tsx','gpbl/react-day-picker')]
def wil(y,n,z=1.96):
    if n==0: return '-'
    p=y/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d
    return '%d/%d = %.2f (%.2f-%.2f)'%(y,n,p,max(0,c-h),min(1,c+h))
pool=collections.Counter()
outdir=sys.argv[1]; commits=dict(l.split() for l in open('commits'))
for n,lang,full in repos:
    sh=[l.rstrip('\n').split('\t') for l in open('out/%s.sheet.tsv'%n) if not l.startswith('#')]
    vs=[l.rstrip('\n').split('\t') for l in open('out/%s.v'%n)]
    assert len(sh)==20==len(vs),n
    with open('%s/%s.tsv'%(outdir,n),'w') as f:
        f.write('# cg42 held-out sample, resolver 62 (main 5df4ce9), %s %s, seed 42, 20 %s calls with an edge; verdict y = the real callee is among the candidates; tier: the edges sum to 1.0 / 0.9 (confident) or less (weak)\n'%(full,commits[n],lang))
        f.write('# verdict\tlang\ttier\tcall site\tsource line\tcandidates (path:line qual conf)\treason\n')
        c=collections.Counter()
        for s,v in zip(sh,vs):
            s[0]=v[0]; f.write('\t'.join(s+[v[1] if len(v)>1 else ''])+'\n')
            t='conf' if s[2] in ('1.0','0.9') else 'weak'
            c[t+'n']+=1; c[t+'y']+=v[0]=='y'; c['n']+=1; c['y']+=v[0]=='y'
    pool.update(c)
    print('| %s | %s | %s | %s | %s |'%(full,lang,wil(c['confy'],c['confn']),wil(c['weaky'],c['weakn']),wil(c['y'],c['n'])))
c=pool
print('| **pooled, 9** | | %s | %s | %s |'%(wil(c['confy'],c['confn']),wil(c['weaky'],c['weakn']),wil(c['y'],c['n'])))
