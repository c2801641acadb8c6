// A base header that includes a public header of the model layer: refused too.
#pragma once
#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"
