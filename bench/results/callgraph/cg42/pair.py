import sys,random,collections
sys.path.insert(0,'/work/main/bench/callgraph'); import callgraph_eval as ce
R=dict([('jansson', 'c'), ('pugixml', 'cpp'), ('logrus', 'go'), ('failsafe', 'java'), ('node-fs-extra', 'javascript'), ('attrs', 'python'), ('indexmap', 'rust'), ('class-validator', 'typescript'), ('react-day-picker', 'tsx')])
def load(p,l):
    f,c=ce.read(p); d={}; cnt=collections.Counter()
    for x in c:
        if f[x['path']][0]!=l: continue
        k=(x['path'],x['line'],x['recv'],x['name']); i=cnt[k]; cnt[k]+=1
        d[k+(i,)]=x['edges']
    return d
def cs(es): return frozenset((e[0],e[2]) for e in es)
def diff(n,fil='fil',now='main'):
    l=R[n]; a=load('%s/%s.tsv'%(fil,n),l); b=load('%s/%s.tsv'%(now,n),l)
    N=len(b); D=[k for k in sorted(set(a)|set(b)) if (a.get(k) or b.get(k)) and cs(a.get(k,[]))!=cs(b.get(k,[]))]
    return a,b,N,D
def src(n,p,ln):
    try: return open('src/%s/%s'%(n,p),errors='replace').read().split('\n')[ln-1].strip()[:140]
    except Exception: return '?'
def fmt(es): return ' | '.join('%s:%d %s %.3f'%e for e in es[:6])+(' | ... (%d)'%len(es) if len(es)>6 else '') if es else '-'
if __name__=='__main__':
    n=sys.argv[1]; a,b,N,D=diff(n); random.Random(42).shuffle(D)
    print('# %s: %d calls, %d differ (fil vs main)'%(n,N,len(D)))
    for i,k in enumerate(D[:20]):
        print('=== %d %s:%d %s.%s\n    %s'%(i,k[0],k[1],k[2],k[3],src(n,k[0],k[1])))
        for tag,es in (('FIL',a.get(k,[])),('NOW',b.get(k,[]))):
            print('  %s'%tag)
            for e in es[:6]: print('     %s:%d %s %.3f | %s'%(e[0],e[1],e[2],e[3],src(n,e[0],e[1])[:90]))
            if len(es)>6: print('     ... (%d)'%len(es))
