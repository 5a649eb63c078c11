import math,sys,random
sys.path.insert(0,'.'); import pair
R=[('jansson', 'c'), ('pugixml', 'cpp'), ('logrus', 'go'), ('failsafe', 'java'), ('node-fs-extra', 'javascript'), ('attrs', 'python'), ('indexmap', 'rust'), ('class-validator', 'typescript'), ('react-day-picker', 'tsx')]
def wil(y,n,z=1.96):
    p=y/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d; return c-h,c+h
def newcombe(a,b,c,d):
    n=a+b+c+d; p1=(a+b)/n; p2=(a+c)/n; l1,u1=wil(a+b,n); l2,u2=wil(a+c,n)
    den=(a+b)*(c+d)*(a+c)*(b+d); phi=(a*d-b*c)/math.sqrt(den) if den else 0
    th=p2-p1
    L=th-math.sqrt(max(0,(p2-l2)**2-2*phi*(p2-l2)*(u1-p1)+(u1-p1)**2))
    U=th+math.sqrt(max(0,(u2-p2)**2-2*phi*(u2-p2)*(p1-l1)+(p1-l1)**2))
    return th,L,U
outdir=sys.argv[1] if len(sys.argv)>1 else None
fil_now=sys.argv[2] if len(sys.argv)>2 else 'main'
for n,l in R:
    A,B,N,D=pair.diff(n,'fil','main'); random.Random(42).shuffle(D)
    v=[x.rstrip('\n').split('\t') for x in open('out/%s.pair'%n)]
    if not v: print('| %s | %s | %s | 0 | - | - | - | +0.000 (identical edges) | same |'%(n,l,'{:,}'.format(N))); continue
    cnt={'a':0,'b':0,'c':0,'d':0}
    for f,w,_ in v:
        cnt['a' if f=='1' and w=='1' else 'b' if f=='1' else 'c' if w=='1' else 'd']+=1
    th,L,U=newcombe(cnt['a'],cnt['b'],cnt['c'],cnt['d']); s=len(D)/N
    verdict='above' if L*s>0 else 'below' if U*s<0 else 'not decided'
    print('| %s | %s | %s | %s | %d/20 | %d/20 | %d / %d / %d / %d | %+.3f (%+.3f..%+.3f) | %s |'%(n,l,'{:,}'.format(N),'{:,}'.format(len(D)),cnt['a']+cnt['b'],cnt['a']+cnt['c'],cnt['a'],cnt['b'],cnt['c'],cnt['d'],th*s,L*s,U*s,verdict))
    if outdir:
        with open('%s/%s.tsv'%(outdir,n),'w') as o:
            o.write('# cg42 paired sample: %s, %d %s calls whose edges differ between the filing (fb728ad, /work/scratch/cg24/filbin) and main (5df4ce9, resolver 62), of %d; seeded (42) draw of 20; right = the real callee among the build\'s edges (none: not right)\n'%(n,len(D),l,N))
            o.write('# call\tfile:line\tfiling edges\tmain edges\tfiling right\tmain right\treason\n')
            for k,(f,w,r) in zip(D[:20],v):
                o.write('%s.%s\t%s:%d\t%s\t%s\t%s\t%s\t%s\n'%(k[2],k[3],k[0],k[1],pair.fmt(A.get(k,[])),pair.fmt(B.get(k,[])),'y' if f=='1' else 'n','y' if w=='1' else 'n',r))
