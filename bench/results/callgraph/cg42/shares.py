import sys; sys.path.insert(0,'/work/main/bench/callgraph'); import callgraph_eval as ce
R=[('jansson','c','akheron/jansson'),('pugixml','cpp','zeux/pugixml'),('logrus','go','sirupsen/logrus'),('failsafe','java','failsafe-lib/failsafe'),('node-fs-extra','javascript','jprichardson/node-fs-extra'),('attrs','python','python-attrs/attrs'),('indexmap','rust','indexmap-rs/indexmap'),('class-validator','typescript','typestack/class-validator'),('react-day-picker','tsx','gpbl/react-day-picker')]
commits=dict(l.split() for l in open('commits'))
dirs=sys.argv[1:] or ['fil','main']
for n,l,full in R:
    out=[]
    for b in dirs:
        f,c=ce.read('%s/%s.tsv'%(b,n))
        c=[x for x in c if f[x['path']][0]==l]
        t=len(c); a=sum(1 for x in c if x['edges']); e5=sum(1 for x in c if any(e[3]>=0.5 for e in x['edges'])); ti=sum(1 for x in c if ce.tier(x) in ('1.0','0.9'))
        out.append('%.3f / %.3f (tier %.3f)'%(a/t,e5/t,ti/t))
    print('| %s %s | %s | %s | %s |'%(full,commits[n],l,'{:,}'.format(t),' | '.join(out)))
