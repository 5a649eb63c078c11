class Status {
 public:
  bool ok() const { return true; }
};
class WritableFile {
 public:
  virtual Status Append(int d) = 0;
};
Status Make() { return Status(); }
Status Other() { return Status(); }
void f1() {
  Status s = Make();
  if (s.ok()) {}
  s = Other();
  if (s.ok()) {}
}
void f2(WritableFile* file) {
  Status s = Make();
  s = file->Append(1);
  if (s.ok()) {}
}
void f3(WritableFile* file) {
  Status s;
  s = file->Append(1);
  if (s.ok()) {}
}
void f4() {
  Status s = Make();
  int x = 1;
  s = Status();
  if (s.ok()) {}
}
