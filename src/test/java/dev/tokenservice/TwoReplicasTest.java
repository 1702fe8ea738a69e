package dev.tokenservice;

class TwoReplicasTest extends AbstractReplicasTest {
    TwoReplicasTest() {
        super(2);
    }
}
