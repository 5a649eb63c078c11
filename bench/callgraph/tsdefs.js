// tsdefs.js - named function definitions of JS/TS files by the TypeScript compiler's parser, the
// reference callgraph_eval.py compares codecomp's definitions with:
//   NODE_PATH=<dir with node_modules/typescript> node tsdefs.js FILE...
// prints "path<TAB>line<TAB>name" for function declarations, methods, constructors, accessors,
// and function/arrow expressions named by a variable, a property or an assignment target.
const ts = require('typescript');
const fs = require('fs');
for (const file of process.argv.slice(2)) {
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { continue; }
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.ts$|\.mts$|\.cts$/.test(file)
    ? ts.ScriptKind.TS : ts.ScriptKind.JSX;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out = (node, name) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    process.stdout.write(`${file}\t${line}\t${name}\n`);
  };
  const nameOf = (n) => n && (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ||
    ts.isStringLiteral(n)) ? n.text : null;
  const visit = (node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) ||
         ts.isGetAccessor(node) || ts.isSetAccessor(node)) && node.body && nameOf(node.name)) {
      out(node, nameOf(node.name));
    } else if (ts.isConstructorDeclaration(node) && node.body) {
      out(node, 'constructor');
    } else if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
      const p = node.parent;
      let name = null;
      if (ts.isVariableDeclaration(p) && p.initializer === node) name = nameOf(p.name);
      else if (ts.isPropertyAssignment(p) && p.initializer === node) name = nameOf(p.name);
      else if (ts.isBinaryExpression(p) && p.right === node &&
               p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
               ts.isPropertyAccessExpression(p.left)) name = p.left.name.text;
      if (!name && ts.isFunctionExpression(node) && node.name) name = node.name.text;
      if (name) out(node, name);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
