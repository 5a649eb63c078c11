use std::collections::HashMap;
use std::io::{self, Read};

struct Point { x: i32, y: i32 }

impl Point {
    fn new(x: i32, y: i32) -> Point {
        Point { x, y }
    }

    fn norm(&self, scale: i32) -> i32 {
        let mut s = self.x * self.x + self.y * self.y;
        if s > 100 {
            return s;
        }
        for k in 0..scale {
            s += k;
        }
        match s {
            0 => println!("zero"),
            _ => s = s * 2,
        }
        s
    }
}

fn main() {
    let p = Point::new(1, 2);
    let mut m = HashMap::new();
    m.insert("a", p.norm(3));
    loop {
        break;
    }
}
