package dev.tokenservice;

class ThreeReplicasTest extends AbstractReplicasTest {
    ThreeReplicasTest() {
        super(3);
    }
}
