#pragma once

namespace smbreaper::sessions {

// Makes COM usable on the calling thread: joins the multithreaded apartment once per thread (left
// when the thread ends) and sets the process' default COM security once (impersonation level
// "impersonate", which WMI requires). Any thread of the service may run a cycle, so every WMI
// entry point calls this first. Throws WmiError when COM cannot be initialised.
void ensure_com_on_this_thread();

}  // namespace smbreaper::sessions
