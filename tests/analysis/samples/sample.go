package main

import (
	"fmt"
	str "strings"
)

type Counter struct{ n int }

func (c *Counter) Add(words []string, limit int) int {
	total := 0
	for _, w := range words {
		if len(w) > limit {
			continue
		}
		total += len(w)
	}
	for i := 0; i < 3; i++ {
		c.n++
	}
	switch {
	case total > 10:
		fmt.Println("big")
	default:
		total = 0
	}
	return total
}

func main() {
	c := &Counter{}
	fmt.Println(c.Add(str.Fields("a bb ccc"), 2))
}
