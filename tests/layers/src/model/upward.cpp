// A model file that reaches up into the engine: the layer check must refuse it.
#include "base/rng.hpp"
#include "engine/simulator.hpp"
