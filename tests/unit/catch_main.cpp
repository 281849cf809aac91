#include "catch_session.h"

int main(int argc, char* argv[]) { return smbreaper::test::run_catch_session(argc, argv); }
